"""Which writing systems a text uses, and how much of it a model's languages cover.

An embedding model ranks only text in the languages it was trained on: all-MiniLM-L6-v2
(``language: en`` in its model card) maps a Japanese question to a vector with little
to do with its meaning. Hybrid search uses :func:`coverage` to weigh the vector ranking
by how much of the question and of the passages it found the model can read, so an
English-only model does not drag a Japanese search down, and a multilingual one (or one
whose languages are unknown) keeps full weight.

Scripts are told apart by Unicode character names after NFKC (so half-width katakana
and full-width Latin count as katakana and Latin); only letters count, not digits,
punctuation or spaces. Pure functions, standard library only.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable

LATIN, HAN, KANA, HANGUL = "latin", "han", "kana", "hangul"
CYRILLIC, GREEK, ARABIC, HEBREW, THAI, DEVANAGARI = (
    "cyrillic",
    "greek",
    "arabic",
    "hebrew",
    "thai",
    "devanagari",
)

#: First word of a character's Unicode name -> its script.
_NAME_PREFIXES = {
    "LATIN": LATIN,
    "CJK": HAN,
    "IDEOGRAPHIC": HAN,
    "HIRAGANA": KANA,
    "KATAKANA": KANA,
    "KATAKANA-HIRAGANA": KANA,
    "HANGUL": HANGUL,
    "CYRILLIC": CYRILLIC,
    "GREEK": GREEK,
    "ARABIC": ARABIC,
    "HEBREW": HEBREW,
    "THAI": THAI,
    "DEVANAGARI": DEVANAGARI,
}

#: Scripts that text in a language uses (ISO 639-1). Latin comes with every language:
#: product names, code and numbers are written in it everywhere.
_LATIN_LANGUAGE_CODES = (
    "en fr de es it pt nl sv da no nb nn fi is et lv lt pl cs sk sl hr bs sq ro hu "
    "tr az ca eu gl ga cy mt id ms tl vi sw af la eo"
)
LANGUAGE_SCRIPTS: dict[str, frozenset[str]] = {
    **{code: frozenset({LATIN}) for code in _LATIN_LANGUAGE_CODES.split()},
    "ja": frozenset({LATIN, HAN, KANA}),
    "zh": frozenset({LATIN, HAN}),
    "ko": frozenset({LATIN, HANGUL, HAN}),
    **{code: frozenset({LATIN, CYRILLIC}) for code in ("ru", "uk", "bg", "sr", "mk", "be", "kk")},
    "el": frozenset({LATIN, GREEK}),
    **{code: frozenset({LATIN, ARABIC}) for code in ("ar", "fa", "ur")},
    "he": frozenset({LATIN, HEBREW}),
    "th": frozenset({LATIN, THAI}),
    **{code: frozenset({LATIN, DEVANAGARI}) for code in ("hi", "mr", "ne")},
}

#: How many characters of a text are looked at: enough to tell its scripts.
SAMPLE_CHARS = 2000


def script_of(char: str) -> str | None:
    """The script of one letter, or None for anything else (digits, punctuation...)."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    return _NAME_PREFIXES.get(name.split(" ", 1)[0], "other") if name else "other"


def script_counts(text: str) -> Counter[str]:
    """How many letters of each script the start of ``text`` holds."""
    sample = unicodedata.normalize("NFKC", text[:SAMPLE_CHARS])
    return Counter(s for s in map(script_of, sample) if s is not None)


def scripts_for(languages: Iterable[str] | None) -> frozenset[str] | None:
    """The scripts a model trained on ``languages`` reads; None means every script
    (unknown languages, ``multilingual``, or a code this table does not know)."""
    if languages is None:
        return None
    scripts: set[str] = set()
    for language in languages:
        code = language.strip().lower().replace("_", "-").split("-", 1)[0]
        if code not in LANGUAGE_SCRIPTS:
            return None
        scripts |= LANGUAGE_SCRIPTS[code]
    return frozenset(scripts) if scripts else None


def coverage(text: str, scripts: frozenset[str] | None) -> float:
    """The share (0..1) of the letters of ``text`` in ``scripts``; 1.0 when ``scripts``
    is None (every script) or the text has no letters."""
    if scripts is None:
        return 1.0
    counts = script_counts(text)
    total = sum(counts.values())
    if total == 0:
        return 1.0
    return sum(n for script, n in counts.items() if script in scripts) / total
