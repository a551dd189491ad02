"""PERSON. Japanese names from SudachiDict's person-name entries (surname 姓, given name
名, and 人名 in general), as GiNZA's tokenizer tags them: a surname with a given name, or a
surname or given name with an honorific (さん, 様, 氏 …); optionally also GiNZA's
named-entity model (slower, see ``desktop.pii.detector``). Names in Latin script: given
names and surnames from Faker's maintained lists (no English spaCy model can be
installed offline, and GiNZA's model, trained on Japanese, tags Latin names poorly)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerResult

from desktop.core.pii import PiiType
from desktop.pii.numbers import LANG

_JAPANESE = re.compile(r"[一-龥々ぁ-んァ-ヶー]")
_HONORIFIC = re.compile(r"(さん|様|さま|君|くん|ちゃん|氏|殿|先生)$")
_HONORIFICS = frozenset({"さん", "様", "さま", "君", "くん", "ちゃん", "氏", "殿", "先生", "所長"})
_SURNAME, _GIVEN, _NAME = "人名-姓", "人名-名", "人名-一般"
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


@cache
def _tag_kind(tag: str) -> str:
    for kind in (_SURNAME, _GIVEN, _NAME):
        if tag.endswith(kind):
            return kind
    return ""


def _kind(token: Any) -> str:
    return _tag_kind(str(token.tag_))


def dictionary_people(tokens: Sequence[Any]) -> list[tuple[int, int, float]]:
    """Names from the dictionary's tags: a run of name tokens (姓 名, or 人名 parts joined
    by ・) is a name when it holds a surname and a given name, a 人名 of two tokens or
    more, or when an honorific follows it."""
    found = []
    i = 0
    while i < len(tokens):
        if not _kind(tokens[i]) or not _JAPANESE.search(tokens[i].text):
            i += 1
            continue
        j = i
        kinds = []
        while j < len(tokens) and (_kind(tokens[j]) or (tokens[j].text == "・" and j > i)):
            kinds.append(_kind(tokens[j]))
            j += 1
        honorific = j < len(tokens) and tokens[j].text in _HONORIFICS
        if _SURNAME in kinds and _GIVEN in kinds:
            score = 0.85
        elif honorific:
            score = 0.7
        elif kinds.count(_NAME) >= 2:
            score = 0.6
        else:
            score = 0.0
        if score:
            start = tokens[i].idx
            end = tokens[j - 1].idx + len(tokens[j - 1].text)
            found.append((start, end, score))
        i = j
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
        for start, end, score in dictionary_people(getattr(nlp_artifacts, "tokens", None) or ()):
            results.append(self._result(start, end, score))
        for start, end, score in latin_people(text):
            results.append(self._result(start, end, score))
        return results

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(PiiType.PERSON.value, start, end, score)
