"""A deterministic personal-data detector for tests (injected explicitly, never at run
time): a few fixed rules, and a record of every text it was given."""

from __future__ import annotations

import re
from collections.abc import Sequence

from desktop.core.pii import PiiEntity, PiiType
from desktop.core.tasks import CancelToken

#: Names it knows as PERSON (a real detector uses a model; a test needs certainty).
NAMES = ("山田太郎", "佐藤花子", "鈴木一郎", "Alice Smith", "Bob Jones", "John Smith")

_RULES: tuple[tuple[PiiType, re.Pattern[str]], ...] = (
    (PiiType.EMAIL_ADDRESS, re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)),
    (PiiType.PHONE_NUMBER, re.compile(r"(?<!\d)0\d{1,4}-\d{1,4}-\d{4}(?!\d)")),
    (PiiType.MY_NUMBER, re.compile(r"(?<!\d)\d{12}(?!\d)")),
    (PiiType.PERSON, re.compile("|".join(map(re.escape, NAMES)))),
)


class FakePiiDetector:
    def __init__(self) -> None:
        self.seen: list[str] = []
        self.calls = 0
        self.texts = 0  # how many texts it was given, over every call

    def detect(
        self, texts: Sequence[str], cancel: CancelToken | None = None
    ) -> list[list[PiiEntity]]:
        self.calls += 1
        self.seen.extend(texts)
        self.texts += len(texts)
        return [self._one(t) for t in texts]

    @staticmethod
    def _one(text: str) -> list[PiiEntity]:
        found: list[PiiEntity] = []
        for kind, rule in _RULES:
            for m in rule.finditer(text):
                if all(m.end() <= e.start or m.start() >= e.end for e in found):
                    found.append(PiiEntity(kind, m.start(), m.end(), m.group(0), 0.9))
        return sorted(found, key=lambda e: e.start)
