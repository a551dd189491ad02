"""The held-out retrieval set: its questions and the corpus they were written on.

See README.md beside this module for how the questions were written. The corpus comes
from Debian packages; :func:`corpus` names the package to install when one is absent.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
QUESTIONS = HERE / "questions.jsonl"

#: Ten small pages of the Python library reference.
PYTHON_PAGES = ("json.html", "secrets.html", "hashlib.html", "base64.html", "uuid.html")
PYTHON_PAGES += ("textwrap.html", "getpass.html", "tempfile.html", "heapq.html", "bisect.html")

#: (Debian package, directory it installs, files in it)
PARTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "debian-reference-ja",
        "/usr/share/debian-reference",
        ("ch05.ja.html", "ch06.ja.html", "ch07.ja.html", "ch08.ja.html"),
    ),
    ("debian-reference-en", "/usr/share/debian-reference", ("ch03.en.html", "ch04.en.html")),
    ("python3-doc", "/usr/share/doc/python3/html/library", PYTHON_PAGES),
)


def questions() -> list[dict[str, Any]]:
    return [json.loads(line) for line in QUESTIONS.read_text("utf-8").splitlines() if line]


def _installed(package: str) -> bool:
    try:
        listing = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True)
    except OSError:
        return False
    return listing.returncode == 0


def corpus() -> tuple[list[Path], str]:
    """The corpus files, or none and the reason (which package to install)."""
    files: list[Path] = []
    for package, folder, names in PARTS:
        paths = [Path(folder) / name for name in names]
        if not _installed(package) or not all(p.is_file() for p in paths):
            return [], f"{package} is not installed (apt-get install {package})"
        files += paths
    return files, ""
