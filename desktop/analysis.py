"""Japanese and English text analysis on SudachiPy, shared by the index and the queries.

Sudachi (with ``sudachidict-core``) splits Japanese into words, tags their part of
speech and gives each one a **normalised form**, so spellings that mean the same word
meet: 附属/付属, ﾛｸﾞ/ログ, 引越し/引っ越し. A **content word** is a morpheme whose part of
speech carries meaning (nouns, verbs, adjectives, adverbs...); particles, auxiliaries,
punctuation, pronouns and the light verbs する/いる (``非自立可能``) are left out by
their tags, not by lists of spellings.

- :func:`index_words` is what the word index (``chunk_words``, migration m0013) holds
  for a text: its content words, normalised, space-separated; a compound (Sudachi's
  longest unit, ``C``) also gives its shortest parts (``A``), so a question naming a
  part still meets it.
- :func:`content_words` gives the query side: surface forms for substring search and
  the normalised words for the word index.

Latin words keep their own spelling (casefolded), minus English stopwords (Sudachi does
not tag English); their Sudachi normal form, when it is Japanese (``install`` ->
``インストール``), is offered as a weaker, translated term.

The dictionary (about 70 MB, memory-mapped) is loaded once per process, on first use.
This module lives beside the adapters, not in one, because both the storage (the index,
through the SQL function ``kura_words``) and the retrieval adapter (the queries) use it.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

#: Parts of speech (Sudachi's first level) that carry meaning.
_CONTENT = frozenset({"名詞", "動詞", "形容詞", "形状詞", "副詞", "接頭辞", "接尾辞", "記号"})
#: Parts of speech that join a compound noun written without spaces (操作ログ, 30日間).
_NOUNS = frozenset({"名詞", "接頭辞", "接尾辞"})
#: The numeral that asks (何日, 何文字): Sudachi tags it as a number.
_QUESTION_NUMBER = "何"
_LATIN = re.compile(r"[0-9a-z][0-9a-z.\-_/+#]*")
_KANA_ONLY = re.compile(r"[\u3041-\u309f]+")
_JAPANESE = re.compile(r"[\u3041-\u30ff\u3400-\u9fff\uf900-\ufaff々〆ヶ]")
_STOPWORD_TEXT = """a about above after again all also am an and any are as at be because
been before being between both but by can could did do does doing done down during each
either else ever every few for from further get gets got had has have having he her here
hers him his how i if in into is it its itself just let like may me might more most much
must my no nor not now of off on once only or other our out over own per same shall she
should so some such than that the their them then there these they this those through to
too under until up upon us use used very via was we well were what when where whether which
while who whom whose why will with within without would yet you your"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
#: Sudachi reads at most this many bytes at once; longer texts go in pieces.
_PIECE = 4000
_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class Word:
    """One content word: its text as written (NFKC, casefolded), its normalised form,
    the normalised forms of its shortest parts, a translation (or ""), and whether it
    directly follows the previous content word in the text (``操作`` + ``ログ``), and
    whether it is a noun (or a number) that can be part of a compound noun."""

    surface: str
    normal: str
    parts: tuple[str, ...]
    translated: str = ""
    follows: bool = False
    noun: bool = False


def normalise(text: str) -> str:
    """NFKC + casefold: full-width letters and digits become ASCII, case is folded."""
    return unicodedata.normalize("NFKC", text).casefold()


@cache
def _tokenizer() -> tuple[Any, Any]:
    """The Sudachi tokenizer (longest units) and the split mode for the shortest ones."""
    from sudachipy import Dictionary, SplitMode

    return Dictionary(dict="core").tokenizer(mode=SplitMode.C), SplitMode.A


def _pieces(text: str) -> list[str]:
    """The text cut at line breaks into pieces Sudachi accepts (its input is capped)."""
    out: list[str] = []
    cut = _PIECE // 4  # characters: at most four bytes each
    for line in text.splitlines():
        out.extend(p for s in range(0, len(line), cut) if (p := line[s : s + cut]).strip())
    return out


def content_words(text: str) -> list[Word]:
    """The content words of ``text``, in order (repeats kept)."""
    tokenizer, shortest = _tokenizer()
    words: list[Word] = []
    with _LOCK:  # a Sudachi tokenizer is not shared between threads safely
        for piece in _pieces(normalise(text)):
            end = -1
            before: tuple[str, ...] = ()
            for m in tokenizer.tokenize(piece):
                word = None if _particle_verb(m, before) else _word(m, shortest)
                if word is not None:
                    words.append(replace(word, follows=m.begin() == end))
                    end = m.end()
                before = m.part_of_speech()
    return words


def _particle_verb(m: Any, before: tuple[str, ...]) -> bool:
    """A verb written in kana right after a case particle: the verb of a compound
    particle (について, によって, にとって, において, をもって), which says how the
    words around it relate, not what the text is about."""
    return (
        bool(before)
        and before[:2] == ("助詞", "格助詞")
        and m.part_of_speech()[0] == "動詞"
        and _KANA_ONLY.fullmatch(m.surface()) is not None
    )


def _word(m: Any, shortest: Any) -> Word | None:
    pos = m.part_of_speech()
    surface = m.surface().strip()
    if pos[0] not in _CONTENT or not surface or pos[1] == "非自立可能":
        return None
    if pos[1] == "数詞" and surface == _QUESTION_NUMBER:
        return None
    if _LATIN.fullmatch(surface):
        if surface in STOPWORDS or (len(surface) < 2 and not surface.isdigit()):
            return None
        normal = normalise(m.normalized_form())
        translated = normal if _JAPANESE.search(normal) else ""
        return Word(surface, surface, (), translated, noun=surface.isdigit())
    if not (_JAPANESE.search(surface) or surface.isalnum()):
        return None
    normal = normalise(m.normalized_form())
    parts = tuple(normalise(p.normalized_form()) for p in m.split(shortest))
    noun = pos[0] in _NOUNS
    return Word(surface, normal, parts if len(parts) > 1 else (), noun=noun)


def index_words(text: str) -> str:
    """What the word index holds for ``text``: normalised content words and the parts
    of compounds, space-separated (the ``unicode61`` tokenizer splits on the spaces)."""
    out: list[str] = []
    for word in content_words(text):
        out.append(word.normal)
        out.extend(word.parts)
    return " ".join(out)
