"""Build the synonym table Kura reads from Sudachi's synonym dictionary.

`python packaging/synonyms.py PACKAGE.tgz OUT.sqlite` reads the npm package
``sudachi-synonyms-dictionary`` (SudachiDict's ``synonyms.txt`` as JSON, Apache-2.0; the
Makefile fetches it at the version and checksum it pins) and writes a small SQLite file
into the virtual environment, which Kura opens read-only (``desktop.retrieval.expansion``).
Nothing is fetched at run time.

Kept: nouns (体言, as chikkar does by default). ``expandControl`` 0 words expand and are
offered; 1 (ambiguous) are offered but never expand; 2 are neither.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tarfile
import unicodedata
from pathlib import Path

MEMBER = "package/sudachi-synonyms-dictionary.json"


def build(package: Path, out: Path) -> int:
    with tarfile.open(package) as tar:
        member = tar.extractfile(MEMBER)
        if member is None:
            raise SystemExit(f"{package}: no {MEMBER}")
        groups = json.load(member)
    rows: set[tuple[str, int, int]] = set()
    for group in groups:
        for item in group["items"]:
            control = int(item["expandControl"])
            if item["taigenYogen"] != "体言" or control == 2:
                continue
            word = unicodedata.normalize("NFKC", item["midashi"]).casefold().strip()
            if word:
                rows.add((word, int(group["id"]), int(control == 0)))
    tmp = out.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(tmp) as db:
        db.execute(
            "CREATE TABLE synonym (word TEXT NOT NULL, grp INTEGER NOT NULL, trigger INTEGER)"
        )
        db.executemany("INSERT INTO synonym VALUES (?, ?, ?)", sorted(rows))
        db.execute("CREATE INDEX synonym_word ON synonym (word)")
        db.execute("CREATE INDEX synonym_grp ON synonym (grp)")
    db.close()
    tmp.replace(out)
    return len(rows)


if __name__ == "__main__":
    count = build(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"synonyms: {count} words -> {sys.argv[2]}")
