"""PERSON: GiNZA's named-entity model for Japanese names; for names in Latin script,
given names and surnames from Faker's maintained lists (no English spaCy model can be
installed offline, and GiNZA's model, trained on Japanese, tags Latin names poorly)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerResult

from desktop.core.pii import PiiType
from desktop.pii.numbers import LANG

_JAPANESE = re.compile(r"[一-龥々ぁ-んァ-ヶー]")
_HONORIFIC = re.compile(r"(さん|様|さま|君|くん|ちゃん|氏|殿|先生)$")
_WORD = r"[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?"
_LATIN_NAME = re.compile(
    rf"(?:\b(?P<title>Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+)?"
    rf"\b(?P<name>{_WORD}(?:\s+[A-Z]\.)?(?:\s+{_WORD}){{0,2}})\b"
)
_LOCALES = ("en_US", "en_GB", "en_CA", "en_AU", "en_IE", "en_NZ")


@cache
def latin_names() -> tuple[frozenset[str], frozenset[str]]:
    """Given names and surnames from Faker's English-speaking locales."""
    import importlib

    given: set[str] = set()
    family: set[str] = set()
    for locale in _LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:
            continue
        for attr in ("first_names", "first_names_male", "first_names_female"):
            given.update(getattr(provider, attr, ()))
        family.update(getattr(provider, "last_names", ()))
    return frozenset(given), frozenset(family)


def latin_people(text: str) -> list[tuple[int, int, float]]:
    """Spans of Latin-script names: a known given name followed by a capitalised word, a
    known given name + known surname, or a title (Mr, Dr, …) followed by a name."""
    given, family = latin_names()
    found = []
    for m in _LATIN_NAME.finditer(text):
        words = m.group("name").split()
        words = [w for w in words if not w.endswith(".")] or words
        first_known = words[0] in given
        last_known = words[-1] in family
        if len(words) >= 2 and first_known and (last_known or len(words[-1]) > 2):
            score = 0.85 if last_known else 0.6
        elif m.group("title"):
            score = 0.7
        elif len(words) >= 2 and last_known and words[0] in family:
            score = 0.5
        else:
            continue
        found.append((m.start("name"), m.end("name"), score))
    return found


class PersonRecognizer(EntityRecognizer):
    def __init__(self) -> None:
        super().__init__(
            supported_entities=[PiiType.PERSON.value], supported_language=LANG, name="Person"
        )

    def load(self) -> None:
        latin_names()

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None
    ) -> list[RecognizerResult]:
        results = []
        for ent in getattr(nlp_artifacts, "entities", None) or ():
            if ent.label_ != PiiType.PERSON.value:
                continue
            start, end = ent.start_char, ent.end_char
            name = _HONORIFIC.sub("", text[start:end])
            end = start + len(name)
            # Latin-script names are the name lists' part; a one-character "name" is noise
            if len(name) >= 2 and _JAPANESE.search(name):
                results.append(self._result(start, end, 0.85))
        for start, end, score in latin_people(text):
            results.append(self._result(start, end, score))
        return results

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(PiiType.PERSON.value, start, end, score)
