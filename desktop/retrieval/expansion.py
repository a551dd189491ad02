"""Query expansion from two dictionaries, opened read-only, for the word index.

- **Synonyms** from Sudachi's synonym dictionary (SudachiDict ``synonyms.txt``, the
  dictionary chikkar reads): ``make`` writes it as a small SQLite table into the virtual
  environment (``packaging/synonyms.py``; chikkarpy itself downloads the dictionary while
  it builds, which an offline build cannot do). A noun of a synonym group expands to the
  other words of its group (閉店 -> クローズ, 店仕舞い), as chikkar does: ambiguous words
  are offered but never expand.
- **English <-> Japanese** from JMdict (CC BY-SA 4.0, EDRDG): ``make`` reads the full
  dictionary that the pinned ``jamdict-data`` unpacks (325 MB) and writes the answers of
  the two lookups below, already ranked, as a small SQLite table into the virtual
  environment (``packaging/jmdict_subset.py``); the package ships that file, so the
  development environment and the frozen app read the same table. An English word gets
  the Japanese headwords whose English gloss it is (``password`` -> パスワード, 暗号),
  common entries and first senses first; a Japanese word gets the one-word English
  glosses of its first sense.

Both files are opened with ``mode=ro&immutable=1``: nothing is ever written, and a
missing dictionary (a development checkout before ``make``) just expands nothing. Each
is opened once per process, on first use; SQLite reads only the pages a lookup needs.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from functools import cache
from pathlib import Path

#: Where ``make`` puts the synonym table (Makefile, ``SYNONYMS``).
SYNONYMS_FILE = Path(sys.prefix, "share", "kura", "sudachi-synonyms.sqlite")
#: Where ``make`` puts the English <-> Japanese table (Makefile, ``JMDICT``).
JMDICT_FILE = Path(sys.prefix, "share", "kura", "jmdict-subset.sqlite")
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


@cache
def _jmdict_db() -> sqlite3.Connection | None:
    return _open(JMDICT_FILE)


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


_TO_JAPANESE = "SELECT headword FROM to_japanese WHERE word = ? ORDER BY rank LIMIT ?"
_TO_ENGLISH = "SELECT gloss FROM to_english WHERE word = ? ORDER BY rank LIMIT ?"


def to_japanese(word: str) -> list[str]:
    """Japanese headwords glossed by the English ``word`` (``to word`` for verbs), common
    entries and first senses first, at most MAX_TRANSLATIONS; [] without the table."""
    return _lookup(_TO_JAPANESE, word)


def to_english(word: str) -> list[str]:
    """The one-word English glosses of the first sense of the Japanese ``word``,
    casefolded, at most MAX_TRANSLATIONS; [] without the table."""
    return _lookup(_TO_ENGLISH, word)


def _lookup(sql: str, word: str) -> list[str]:
    db = _jmdict_db()
    if db is None or not word:
        return []
    with _LOCK:
        rows = db.execute(sql, (word, MAX_TRANSLATIONS)).fetchall()
    return [str(row[0]) for row in rows]
