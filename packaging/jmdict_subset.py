"""Build the English <-> Japanese table Kura reads from JMdict.

`python packaging/jmdict_subset.py OUT.sqlite` reads the JMdict that the pinned
``jamdict-data`` unpacked into the virtual environment (325 MB, CC BY-SA 4.0, EDRDG) and
writes the answers of the two lookups :mod:`desktop.retrieval.expansion` makes, already
ranked, into a small SQLite file that Kura opens read-only, in the development
environment and in the package alike. Nothing is fetched at run time.

- ``to_japanese(word, rank, headword)``: for every English gloss a query word can equal
  (one word, or ``to`` and one word: a query word never holds a space), the first
  headword of each entry it glosses, common entries (a priority tag such as ichi1 or
  news1 on a spelling) and first senses first, MAX_TRANSLATIONS at most.
- ``to_english(word, rank, gloss)``: for every Japanese spelling (kanji or kana), the
  one-word English glosses of the first sense of its entry, MAX_TRANSLATIONS at most.

The subset is what these lookups can return, no more: glosses of several words, later
senses, other spellings' details, examples and the kanji and name dictionaries are left
out, so the table answers every word exactly as the full dictionary does.
"""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
import time
from collections.abc import Iterable
from pathlib import Path

MAX_TRANSLATIONS = 3  # as desktop.retrieval.expansion.MAX_TRANSLATIONS
#: Rows of the full dictionary's ranking read before three distinct headwords are kept.
_CANDIDATES = 24


def jamdict_db() -> Path:
    """The JMdict unpacked by ``jamdict-data`` (found without importing it)."""
    spec = importlib.util.find_spec("jamdict_data")
    if spec is None or spec.origin is None:
        raise SystemExit("jmdict_subset: jamdict-data is not installed")
    return Path(spec.origin).parent / "jamdict.db"


# An entry is common when one of its spellings carries a priority tag (news1, ichi1...).
_COMMON = """(EXISTS (SELECT 1 FROM Kanji AS k JOIN KJP AS p ON p.kid = k.ID
                      WHERE k.idseq = s.idseq)
          OR EXISTS (SELECT 1 FROM Kana AS n JOIN KNP AS p ON p.kid = n.ID
                     WHERE n.idseq = s.idseq))"""
# Every gloss a query word can equal, ranked as a lookup reads them: common entries
# first, then earlier senses, then earlier glosses of a sense, then the entry's number.
_GLOSSES = f"""
SELECT g.text,
       coalesce((SELECT text FROM Kanji WHERE idseq = s.idseq ORDER BY ID LIMIT 1),
                (SELECT text FROM Kana WHERE idseq = s.idseq ORDER BY ID LIMIT 1))
FROM SenseGloss AS g JOIN Sense AS s ON s.ID = g.sid
WHERE g.lang = 'eng'
  AND (instr(g.text, ' ') = 0 OR (g.text LIKE 'to %' AND instr(substr(g.text, 4), ' ') = 0))
ORDER BY {_COMMON} DESC,
         (SELECT count(*) FROM Sense AS e WHERE e.idseq = s.idseq AND e.ID < s.ID),
         (SELECT count(*) FROM SenseGloss AS h WHERE h.sid = g.sid AND h.rowid < g.rowid),
         s.idseq
"""
# Every spelling with the entry it names first (the lowest ID of the two tables, as a
# lookup of the full dictionary picks it), and that entry's first sense's glosses.
_SPELLINGS = """
WITH spelling AS (SELECT text, idseq, ID, 0 AS kana FROM Kanji
                  UNION ALL SELECT text, idseq, ID, 1 FROM Kana),
     first AS (SELECT text, idseq,
                      row_number() OVER (PARTITION BY text ORDER BY ID, kana) AS n
               FROM spelling WHERE text IS NOT NULL AND text <> '')
SELECT f.text, g.text
FROM first AS f
JOIN SenseGloss AS g ON g.sid = (SELECT min(ID) FROM Sense WHERE idseq = f.idseq)
WHERE f.n = 1 AND g.lang = 'eng'
ORDER BY f.text, g.rowid
"""


def _japanese_rows(db: sqlite3.Connection) -> list[tuple[str, int, str]]:
    """(English word, rank, headword): a word asks for the gloss ``word`` and ``to word``."""
    ranked: dict[str, list[str | None]] = {}
    for gloss, headword in db.execute(_GLOSSES):
        # "to install" answers the word "install", as "install" does, in one ranking
        word = gloss.removeprefix("to ") if " " in gloss else gloss
        found = ranked.setdefault(word, [])
        if len(found) < _CANDIDATES:
            found.append(headword or None)
    return [
        (word, rank, headword)
        for word, found in ranked.items()
        for rank, headword in enumerate(_first(h for h in found if h))
    ]


def _english_rows(db: sqlite3.Connection) -> list[tuple[str, int, str]]:
    """(Japanese spelling, rank, English word) from its first sense's one-word glosses."""
    glosses: dict[str, list[str]] = {}
    for spelling, gloss in db.execute(_SPELLINGS):
        word = str(gloss).casefold().removeprefix("to ")
        if word.isascii() and word.isalpha():
            glosses.setdefault(spelling, []).append(word)
    return [
        (spelling, rank, word)
        for spelling, words in glosses.items()
        for rank, word in enumerate(_first(words))
    ]


def _first(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item not in out:
            out.append(item)
        if len(out) == MAX_TRANSLATIONS:
            break
    return out


def build(source: Path, out: Path) -> tuple[int, int]:
    full = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        japanese, english = _japanese_rows(full), _english_rows(full)
    finally:
        full.close()
    tmp = out.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(tmp)
    with db:
        for table, column in (("to_japanese", "headword"), ("to_english", "gloss")):
            db.execute(
                f"CREATE TABLE {table} (word TEXT NOT NULL, rank INTEGER NOT NULL,"
                f" {column} TEXT NOT NULL, PRIMARY KEY (word, rank)) WITHOUT ROWID"
            )
        db.executemany("INSERT INTO to_japanese VALUES (?, ?, ?)", sorted(japanese))
        db.executemany("INSERT INTO to_english VALUES (?, ?, ?)", sorted(english))
    db.execute("VACUUM")
    db.close()
    tmp.replace(out)
    return len({row[0] for row in japanese}), len({row[0] for row in english})


if __name__ == "__main__":
    started = time.perf_counter()
    target = Path(sys.argv[1])
    en, ja = build(jamdict_db(), target)
    print(
        f"jmdict: {en} English and {ja} Japanese words -> {target}"
        f" ({target.stat().st_size / 2**20:.1f} MiB in {time.perf_counter() - started:.0f} s)"
    )
