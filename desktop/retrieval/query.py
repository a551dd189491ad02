"""Full-text search terms for Japanese and English questions, without a morphological
analyser, for an FTS5 table with the ``trigram`` tokenizer.

:func:`fulltext_terms` normalises the question (NFKC, casefold) and splits it into
runs of one script: kanji, katakana, hiragana, and Latin letters/digits (keeping
``.``, ``-``, ``_``, ``/`` inside a run, so ``tls1.2`` or ``apt.conf`` stay whole).

- Hiragana runs are mostly particles and inflections: a run is kept only when, with a
  particle trimmed from either end, it has 4+ characters and no common inflection or
  question word in it (``うっかり`` stays; ``ていますか``, ``どうやって`` go).
- A kanji run joined to the next one by a single okurigana (``切り替え``, ``締め出す``),
  adjacent kanji + katakana runs (``操作ログ``) and a number with its counter
  (``30日``) also form compound phrases.
- ``何`` (the question word) splits kanji runs: ``何日間`` -> ``日間``.
- English stopwords are dropped; longer words lose a plural/tense suffix so the
  substring match also finds other forms (``uploaded`` -> ``upload``).
- Runs of 3+ characters become phrases (long kanji runs also give overlapping
  4-character sub-phrases, so a partial compound still matches); 1-2 character runs
  become short terms, for the repository's substring fallback (two-character terms
  first).

Index text normalised the same way (:func:`normalise`) so full-width and half-width
forms meet: the trigram tokenizer folds case but not width.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

MAX_PHRASES = 24
MAX_SHORT_TERMS = 8
MAX_PHRASE_CHARS = 32
MIN_PHRASE_CHARS = 3  # what the trigram tokenizer can match

_LATIN = r"0-9a-z\u00c0-\u024f\u0370-\u04ff"
_KANJI = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ"
_RUN = re.compile(
    rf"(?P<kanji>[{_KANJI}]+)"
    r"|(?P<katakana>[\u30a1-\u30fa\u30fc\u31f0-\u31ff]+)"
    r"|(?P<hiragana>[\u3041-\u3096\u309d\u309e]+)"
    rf"|(?P<latin>[{_LATIN}](?:[{_LATIN}./+#_-]*[{_LATIN}])?)"
)
_PARTICLES = frozenset("のをにはがでともへやかよねな")
# Single hiragana that end the continuative form inside compound verbs (切り替え,
# 書き込む, 締め出す); u-row endings close a word, so they never join.
_OKURIGANA_JOINERS = frozenset("いきしちひみりぎじびぴえけせねめれげぜべ")
_QUESTION_KANJI = "何"  # 何日, 何文字: the question word splits a kanji run
_HIRAGANA_FUNCTION = re.compile(
    "でしょうか|ですか|ますか|ません|ました|ましょう|ください|ている|ていた|ていて|"
    "てしまっ|てしまう|ような|ように|ための|ために|について|における|によって|"
    "どうやって|どのように|どのくらい|どれくらい|どうすれば|どこで|どこに|どの|どれ|"
    "いくつ|なぜ|ちゃんと|どう|いう|くらい|ぐらい|だけ|しか|とき|ところ|"
    "この|その|あの|これ|それ|あれ|です|ます|する|した|して|しま|てい|され|させ|"
    "れる|られ|ある|いる|なっ|なる|ない|こと|もの|から|まで|など|なら|けど|たら|れば"
)
_SUFFIXES = ("ing", "ed", "es", "s", "ly")
_STOPWORD_TEXT = """a about above after again all also am an and any are as at be because
been before being between both but by can could did do does doing done down during each
either else ever every few for from further get gets got had has have having he her here
hers him his how i if in into is it its itself just let like may me might more most much
must my no nor not now of off on once only or other our out over own per same shall she
should so some such than that the their them then there these they this those through to
too under until up upon us use used very via was we well were what when where whether which
while who whom whose why will with within without would yet you your"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass(frozen=True, slots=True)
class _Run:
    kind: str  # "kanji", "katakana", "hiragana", "latin"
    text: str
    start: int
    end: int


def normalise(text: str) -> str:
    """NFKC + casefold: full-width letters and digits become ASCII, case is folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def fulltext_terms(query: str) -> tuple[list[str], list[str]]:
    """(phrases of 3+ characters for FTS5, short terms of 1-2 characters), deduplicated,
    most specific first, capped at MAX_PHRASES and MAX_SHORT_TERMS."""
    runs = [
        _Run(m.lastgroup or "", m.group(), m.start(), m.end())
        for m in _RUN.finditer(normalise(query))
    ]
    phrases: list[str] = []
    short: list[str] = []
    for term in _compounds(runs):
        _keep(term, phrases, short)
    for run in runs:
        for term in _terms(run):
            _keep(term, phrases, short)
    short.sort(key=len, reverse=True)  # stable: two-character terms before single ones
    return phrases[:MAX_PHRASES], short[:MAX_SHORT_TERMS]


def _keep(term: str, phrases: list[str], short: list[str]) -> None:
    term = term[:MAX_PHRASE_CHARS]
    target = phrases if len(term) >= MIN_PHRASE_CHARS else short
    if term and term not in phrases and term not in short:
        target.append(term)


def _compounds(runs: list[_Run]) -> list[str]:
    """Phrases that span runs: kanji+okurigana+kanji, and adjacent kanji/katakana."""
    found: list[str] = []
    for i in range(len(runs) - 1):
        a, b = runs[i], runs[i + 1]
        if a.end != b.start:
            continue
        if {a.kind, b.kind} == {"kanji", "katakana"} or (
            a.kind == "latin" and a.text.isdigit() and b.kind in {"kanji", "katakana"}
        ):
            found.append(a.text + b.text)
        elif a.kind == "kanji" and b.kind == "hiragana" and b.text in _OKURIGANA_JOINERS:
            c = runs[i + 2] if i + 2 < len(runs) else None
            if c is not None and c.kind == "kanji" and c.start == b.end:
                found.append(a.text + b.text + c.text)
    return [t for t in found if len(t) >= MIN_PHRASE_CHARS and _QUESTION_KANJI not in t]


def _terms(run: _Run) -> list[str]:
    if run.kind == "kanji":
        return [t for part in run.text.split(_QUESTION_KANJI) for t in _kanji_terms(part)]
    if run.kind == "hiragana":
        return _hiragana_terms(run.text)
    if run.kind == "latin":
        return _latin_terms(run.text)
    return [run.text] if len(run.text) >= 2 else []


def _kanji_terms(text: str) -> list[str]:
    """The run, plus 4-character windows of runs of 5+ (compounds of two-kanji words)."""
    if len(text) < 5:
        return [text] if text else []
    starts = sorted({*range(0, len(text) - 4, 2), len(text) - 4})
    return [text, *(text[s : s + 4] for s in starts)]


def _hiragana_terms(text: str) -> list[str]:
    """A hiragana word of 4+ characters (``うっかり``), once a particle on either end is
    removed; runs holding an inflection or a question word are dropped."""
    if text[:1] in _PARTICLES:
        text = text[1:]
    if text[-1:] in _PARTICLES:
        text = text[:-1]
    if len(text) < 4 or _HIRAGANA_FUNCTION.search(text):
        return []
    return [text]


def _latin_terms(word: str) -> list[str]:
    """The word, without stopwords, single characters, or one plural/tense suffix."""
    if word in _STOPWORDS or len(word) < 2:
        return []
    if len(word) >= 5 and word.isalpha():
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                return [word[: -len(suffix)]]
    return [word]


def fts5_match_expression(phrases: Sequence[str]) -> str:
    """``"p1" OR "p2" ...`` with double quotes doubled, for ``WHERE t MATCH ?``; phrases
    shorter than 3 characters are left out (a trigram index cannot match them)."""
    quoted = [
        '"' + phrase.replace('"', '""') + '"'
        for phrase in phrases
        if len(phrase) >= MIN_PHRASE_CHARS
    ]
    return " OR ".join(quoted)
