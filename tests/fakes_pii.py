"""A deterministic personal-data detector for tests (injected explicitly; never selectable
at run time): a few fixed names, 12-digit numbers as My Numbers, e-mail addresses."""

from __future__ import annotations

import re
from collections.abc import Sequence

from desktop.core.pii import PiiEntity, PiiType
from desktop.core.tasks import CancelToken

NAMES = ("山田太郎", "佐藤花子", "John Smith")
_RULES = (
    (PiiType.PERSON, re.compile("|".join(map(re.escape, NAMES)))),
    (PiiType.MY_NUMBER, re.compile(r"(?<!\d)\d{12}(?!\d)")),
    (PiiType.EMAIL_ADDRESS, re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
)


class FakePiiDetector:
    """Finds the fixed names, 12-digit runs and e-mail addresses; counts its calls."""

    def __init__(self) -> None:
        self.calls = 0
        self.texts = 0

    def detect(
        self, texts: Sequence[str], cancel: CancelToken | None = None
    ) -> list[list[PiiEntity]]:
        self.calls += 1
        self.texts += len(texts)
        return [self._one(text) for text in texts]

    def _one(self, text: str) -> list[PiiEntity]:
        found = [
            PiiEntity(kind, m.start(), m.end(), m.group(), 1.0)
            for kind, rule in _RULES
            for m in rule.finditer(text)
        ]
        found.sort(key=lambda e: e.start)
        out: list[PiiEntity] = []
        for entity in found:
            if not out or entity.start >= out[-1].end:
                out.append(entity)
        return out
