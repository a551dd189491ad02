"""Full-text search terms for Japanese and English questions, from the content words
Sudachi finds in them (:mod:`desktop.analysis`).

:func:`fulltext_terms` gives three lists:

- **phrases** (3+ characters) and **short terms** (1-2 characters) for the ``trigram``
  index, which finds them as substrings: every content word as written, its normalised
  form when that differs (``附属`` also looks for ``付属``), the parts of a compound,
  and runs of adjacent content words (``操作ログ``). English words lose one
  plural/tense suffix so the substring match also finds other forms
  (``uploaded`` -> ``upload``).
- **words** with weights for the word index (``chunk_words``): the normalised content
  words at full weight; the parts of compounds and Sudachi's readings of English words
  (``install`` -> ``インストール``) weighted below them; below those, the expansions of
  :mod:`desktop.retrieval.expansion`: synonyms of the same group (閉店 -> 店仕舞い) and
  JMdict translations (``password`` -> パスワード, 画像 -> ``image``), a few per word.
  An expansion of several words is one phrase of index words (``店仕舞 い``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from desktop.analysis import STOPWORDS, Word, content_words, index_words, normalise
from desktop.retrieval import expansion

__all__ = ["fts5_match_expression", "fulltext_terms", "normalise"]

MAX_PHRASES = 24
MAX_SHORT_TERMS = 8
MAX_WORDS = 32
MAX_PHRASE_CHARS = 32
MIN_PHRASE_CHARS = 3  # what the trigram tokenizer can match
#: Weight of a compound's part or a translation, against 1.0 for a word as asked.
WEAKER = 0.5
#: Weight of a synonym from Sudachi's synonym dictionary.
SYNONYM = 0.4
#: Weight of a JMdict translation (English <-> Japanese).
TRANSLATION = 0.3

_SUFFIXES = ("ing", "ed", "es", "s", "ly")
#: A Latin word, with ``.``, ``-``, ``_``, ``/`` kept inside (``tls1.2``, ``apt.conf``).
_LATIN_CHARS = r"0-9a-z\u00c0-\u024f\u0370-\u04ff"
_LATIN = re.compile(rf"[{_LATIN_CHARS}](?:[{_LATIN_CHARS}./+#_-]*[{_LATIN_CHARS}])?")

Terms = tuple[list[str], list[str], list[tuple[str, float]]]


def fulltext_terms(query: str) -> Terms:
    """(phrases of 3+ characters, short terms of 1-2 characters, weighted words),
    deduplicated, most specific first, capped at MAX_PHRASES, MAX_SHORT_TERMS and
    MAX_WORDS."""
    words = content_words(query)
    phrases: list[str] = []
    short: list[str] = []
    for term in _runs(words):
        _keep(term, phrases, short)
    for word in words:
        if not _LATIN.fullmatch(word.surface):
            for term in (word.surface, word.normal, *word.parts):
                _keep(term, phrases, short)
    for latin in _LATIN.findall(normalise(query)):
        if latin not in STOPWORDS and len(latin) >= 2:
            _keep(_stem(latin), phrases, short)
    short.sort(key=len, reverse=True)  # stable: two-character terms before single ones
    return phrases[:MAX_PHRASES], short[:MAX_SHORT_TERMS], _weighted(words)[:MAX_WORDS]


def _weighted(words: Sequence[Word]) -> list[tuple[str, float]]:
    weights: dict[str, float] = {}
    for word in words:
        weights[word.normal] = 1.0
    for word in words:
        for weaker in (*word.parts, word.translated):
            if weaker and weaker not in weights:
                weights[weaker] = WEAKER
    for word in words:
        for term, weight in _expansions(word):
            if term and term not in weights:
                weights[term] = weight
    return sorted(weights.items(), key=lambda item: -item[1])


def _expansions(word: Word) -> list[tuple[str, float]]:
    """Synonyms and translations of one content word, as index words."""
    if word.surface.isdigit() or len(word.normal) < 2:  # 日, 方: too ambiguous
        return []
    latin = bool(_LATIN.fullmatch(word.surface))
    found = expansion.synonyms(word.surface) or expansion.synonyms(word.normal)
    out = [(index_words(s), SYNONYM) for s in found]
    if latin:
        japanese: list[str] = []
        for form in dict.fromkeys(
            (word.surface, word.surface.removesuffix("s"), _stem(word.surface))
        ):
            japanese = japanese or expansion.to_japanese(form)
        out += [(index_words(t), TRANSLATION) for t in japanese]
    else:
        out += [(t, TRANSLATION) for t in expansion.to_english(word.normal)]
    return out


def _runs(words: Sequence[Word]) -> list[str]:
    """Adjacent content words written together (``操作ログ``, ``30日``)."""
    runs: list[str] = []
    current: list[Word] = []
    for word in [*words, None]:
        if word is not None and word.noun and word.follows and current:
            current.append(word)
            continue
        if len(current) > 1:
            runs.append("".join(w.surface for w in current))
        current = [word] if word is not None and word.noun else []
    return runs


def _keep(term: str, phrases: list[str], short: list[str]) -> None:
    term = term[:MAX_PHRASE_CHARS]
    target = phrases if len(term) >= MIN_PHRASE_CHARS else short
    if term and term not in phrases and term not in short:
        target.append(term)


def _stem(word: str) -> str:
    """An English word without one plural/tense suffix; other words as they are."""
    if len(word) >= 5 and word.isascii() and word.isalpha():
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                return word[: -len(suffix)]
    return word


def fts5_match_expression(phrases: Sequence[str]) -> str:
    """``"p1" OR "p2" ...`` with double quotes doubled, for ``WHERE t MATCH ?``; phrases
    shorter than 3 characters are left out (a trigram index cannot match them)."""
    quoted = [
        '"' + phrase.replace('"', '""') + '"'
        for phrase in phrases
        if len(phrase) >= MIN_PHRASE_CHARS
    ]
    return " OR ".join(quoted)
