"""Query expansion from two dictionaries, opened read-only, for the word index.

- **Synonyms** from Sudachi's synonym dictionary (SudachiDict ``synonyms.txt``, the
  dictionary chikkar reads): ``make`` writes it as a small SQLite table into the virtual
  environment (``packaging/synonyms.py``; chikkarpy itself downloads the dictionary while
  it builds, which an offline build cannot do). A noun of a synonym group expands to the
  other words of its group (閉店 -> クローズ, 店仕舞い), as chikkar does: ambiguous words
  are offered but never expand.
- **English <-> Japanese** from JMdict (``jamdict-data``, whose install unpacks the
  dictionary into its package folder): an English word gets the Japanese headwords whose
  English gloss it is (``password`` -> パスワード, 暗号), common entries and first senses
  first; a Japanese word gets the one-word English glosses of its first sense.

Both files are opened with ``mode=ro&immutable=1``: nothing is ever written, and a
missing dictionary (a development checkout before ``make``) just expands nothing. Each
is opened once per process, on first use; SQLite reads only the pages a lookup needs.
"""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
import threading
from collections.abc import Iterable
from functools import cache
from pathlib import Path

#: Where ``make`` puts the synonym table (Makefile, ``SYNONYMS``).
SYNONYMS_FILE = Path(sys.prefix, "share", "kura", "sudachi-synonyms.sqlite")
#: Synonyms offered for one word, and translations, at most.
MAX_SYNONYMS = 4
MAX_TRANSLATIONS = 3
_LOCK = threading.Lock()


def _open(path: Path) -> sqlite3.Connection | None:
    if not path.is_file():
        return None
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


@cache
def _synonyms_db() -> sqlite3.Connection | None:
    return _open(SYNONYMS_FILE)


def jmdict_path() -> Path | None:
    """The unpacked JMdict of ``jamdict-data`` (found without importing it), or None."""
    spec = importlib.util.find_spec("jamdict_data")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "jamdict.db"


@cache
def _jmdict_db() -> sqlite3.Connection | None:
    path = jmdict_path()
    return None if path is None else _open(path)


_SYNONYMS = """
SELECT DISTINCT o.word FROM synonym AS w JOIN synonym AS o ON o.grp = w.grp
WHERE w.word = ? AND w.trigger = 1 AND o.word <> w.word ORDER BY o.rowid LIMIT ?
"""


def synonyms(word: str) -> list[str]:
    """The other nouns of ``word``'s synonym groups (NFKC, casefolded), at most
    MAX_SYNONYMS, in the dictionary's order; [] without the dictionary."""
    db = _synonyms_db()
    if db is None or not word:
        return []
    with _LOCK:
        rows = db.execute(_SYNONYMS, (word, MAX_SYNONYMS)).fetchall()
    return [str(row[0]) for row in rows]


# An entry is common when one of its spellings carries a priority tag (news1, ichi1...).
_COMMON = """(EXISTS (SELECT 1 FROM Kanji AS k JOIN KJP AS p ON p.kid = k.ID
                      WHERE k.idseq = s.idseq)
          OR EXISTS (SELECT 1 FROM Kana AS n JOIN KNP AS p ON p.kid = n.ID
                     WHERE n.idseq = s.idseq))"""
_TO_JAPANESE = f"""
SELECT coalesce((SELECT text FROM Kanji WHERE idseq = s.idseq ORDER BY ID LIMIT 1),
                (SELECT text FROM Kana WHERE idseq = s.idseq ORDER BY ID LIMIT 1))
FROM SenseGloss AS g JOIN Sense AS s ON s.ID = g.sid
WHERE g.text IN (?, ?) AND +g.lang = 'eng'
ORDER BY {_COMMON} DESC,
         (SELECT count(*) FROM Sense AS e WHERE e.idseq = s.idseq AND e.ID < s.ID),
         (SELECT count(*) FROM SenseGloss AS h WHERE h.sid = g.sid AND h.rowid < g.rowid),
         s.idseq
LIMIT 24
"""
_TO_ENGLISH = """
SELECT g.text FROM SenseGloss AS g
WHERE +g.lang = 'eng' AND g.sid = (
    SELECT min(s.ID) FROM Sense AS s WHERE s.idseq = (
        SELECT idseq FROM (SELECT idseq, ID FROM Kanji WHERE text = ?1
                           UNION ALL SELECT idseq, ID FROM Kana WHERE text = ?1)
        ORDER BY ID LIMIT 1))
ORDER BY g.rowid
"""


def to_japanese(word: str) -> list[str]:
    """Japanese headwords glossed by the English ``word`` (``to word`` for verbs), common
    entries and first senses first, at most MAX_TRANSLATIONS; [] without JMdict."""
    db = _jmdict_db()
    if db is None or not word:
        return []
    with _LOCK:
        rows = db.execute(_TO_JAPANESE, (word, f"to {word}")).fetchall()
    return _first(str(row[0]) for row in rows if row[0])


def to_english(word: str) -> list[str]:
    """The one-word English glosses of the first sense of the Japanese ``word``,
    casefolded, at most MAX_TRANSLATIONS; [] without JMdict."""
    db = _jmdict_db()
    if db is None or not word:
        return []
    with _LOCK:
        rows = db.execute(_TO_ENGLISH, (word,)).fetchall()
    glosses = (str(row[0]).casefold().removeprefix("to ") for row in rows)
    return _first(g for g in glosses if g.isascii() and g.isalpha())


def _first(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item not in out:
            out.append(item)
        if len(out) == MAX_TRANSLATIONS:
            break
    return out
