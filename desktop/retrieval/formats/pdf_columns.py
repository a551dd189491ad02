"""Tables set without ruling lines: columns of text that line up, as reports and
spreadsheets exported to PDF print them.

pdfplumber's text strategies cut any text into a grid, prose included, so they are run
only on the part of a page that plausibly holds a table, found in two steps, the cheap
one first:

* :class:`ColumnSniffer` watches pypdf's text extraction (which happens anyway) and
  marks a page where at least three consecutive lines each show three or more runs of
  text of a few words, set apart by gaps wider than a character (or by two spaces or
  more, as rows padded with spaces are); only such pages are read again by pdfplumber
  (about ten times slower than pypdf).
* :func:`unruled_tables` groups pdfplumber's words into lines and runs of text, and
  looks for consecutive lines whose runs fall into the same three or more columns
  (the gaps between columns are empty on every line). Two-column layouts (two columns),
  prose (one run a line) and multi-column prose (columns of long, justified lines)
  are refused. Only the region of such a block is handed to pdfplumber's text
  strategies, and their grid is kept only when its column count is the one found.
"""

from __future__ import annotations

import math
import re
from itertools import pairwise
from typing import Any

Box = tuple[float, float, float, float]  # x0, top, x1, bottom (pdfplumber's)
# pdfplumber's text from characters: a gap over 0.15 of the font size is a space (its
# default, 3 points, runs the words of tightly set PDFs together: "tothediskgroup")
TEXT: dict[str, Any] = {"x_tolerance_ratio": 0.15}

MIN_COLUMNS = 3
MIN_ROWS = 3  # the header and two rows
_GAP = 0.9  # a gap between runs of text wider than this many font sizes parts columns
_SNIFF_GAP = 0.5  # the sniffer guesses widths, so it asks for less
_PROSE_WORDS = 3  # a column whose runs hold this many words on average, and
_PROSE_CHARS = 12  # this many characters, reads as prose
_JUSTIFIED = 0.8  # share of a column's runs spanning its whole width: justified prose
_SPACED = re.compile(r"\s{2,}")
_MAX_LINES = 400  # a block of more lines is not cut into cells (it stays text)


class ColumnSniffer:
    """A pypdf ``visitor_text``: the runs of text on one page, by baseline."""

    def __init__(self) -> None:
        # y -> runs: (x, estimated end, font size, words, gaps of two spaces or more)
        self._lines: dict[int, list[tuple[float, float, float, int, int]]] = {}

    def __call__(self, text: str, cm: Any, tm: Any, _font: Any, font_size: Any) -> None:
        if not text.strip():
            return
        try:
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            size = float(font_size) * math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1])
        except (TypeError, ValueError, IndexError):
            return
        # half an em a character, a full em for CJK (three UTF-8 bytes), counted in C
        width = len(text) / 4 + len(text.encode("utf-8", "replace")) / 4
        gaps = len(_SPACED.findall(text.strip())) if "  " in text else 0
        run = (x, x + width * size, size, len(text.split()), gaps)
        self._lines.setdefault(round(y), []).append(run)

    def has_columns(self) -> bool:
        """Whether three consecutive lines each show three or more runs of text of a few
        words each (runs of many words are prose set in columns)."""
        streak = 0
        for y in sorted(self._lines, reverse=True):
            runs = sorted(self._lines[y])
            cells = 1 + sum(run[4] for run in runs)  # columns padded with spaces
            for (_, end, size, _, _), (x, *_) in pairwise(runs):
                cells += x - end > _SNIFF_GAP * size
            words = sum(run[3] for run in runs)
            tabular = cells >= MIN_COLUMNS and words < _PROSE_WORDS * cells
            streak = streak + 1 if tabular else 0
            if streak >= MIN_ROWS:
                return True
        return False


def unruled_tables(page: Any, max_cells: int) -> list[tuple[Box, list[list[str]]]]:
    """The tables without ruling lines on a pdfplumber page: (bounding box, rows)."""
    from pdfplumber.utils.clustering import cluster_objects

    words = page.extract_words(use_text_flow=False)
    if not words:
        return []
    lines = [_runs(line) for line in cluster_objects(words, lambda w: w["bottom"], 3)]
    lines.sort(key=lambda runs: runs[0]["top"])
    found = []
    for block in _blocks(lines):
        columns = _columns(block)
        if len(block) > _MAX_LINES or len(block) * len(columns) > max_cells:
            continue
        if len(columns) < MIN_COLUMNS or _reads_as_prose(block, columns):
            continue
        box = (
            min(run["x0"] for runs in block for run in runs) - 1,
            min(run["top"] for runs in block for run in runs) - 1,
            max(run["x1"] for runs in block for run in runs) + 1,
            max(run["bottom"] for runs in block for run in runs) + 1,
        )
        rows = _grid(page, box, max_cells)
        if rows:
            found.append((box, rows))
    return found


def _runs(words: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One line's words joined into runs of text: words closer than a column gap."""
    runs: list[dict[str, Any]] = []
    for word in sorted(words, key=lambda w: w["x0"]):
        size = float(word.get("bottom", 0) - word.get("top", 0)) or 10.0
        last = runs[-1] if runs else None
        if last is not None and word["x0"] - last["x1"] <= _GAP * size:
            last["x1"] = word["x1"]
            last["top"] = min(last["top"], word["top"])
            last["bottom"] = max(last["bottom"], word["bottom"])
            last["words"] += 1
            last["chars"] += len(word["text"])
        else:
            runs.append(
                {
                    "x0": word["x0"],
                    "x1": word["x1"],
                    "top": word["top"],
                    "bottom": word["bottom"],
                    "words": 1,
                    "chars": len(word["text"]),
                }
            )
    return runs


def _blocks(lines: list[list[dict[str, Any]]]) -> list[list[list[dict[str, Any]]]]:
    """Runs of consecutive lines holding two or more runs of text each, at least
    :data:`MIN_ROWS` of them with :data:`MIN_COLUMNS` runs or more."""
    found = []
    current: list[list[dict[str, Any]]] = []
    for runs in [*lines, []]:
        if len(runs) >= 2:
            current.append(runs)
            continue
        if sum(len(r) >= MIN_COLUMNS for r in current) >= MIN_ROWS:
            found.append(current)
        current = []
    return found


def _columns(block: list[list[dict[str, Any]]]) -> list[tuple[float, float]]:
    """The x-ranges that the block's runs cover, merged where they overlap (a gap
    between two columns is empty on every line), each held by runs on two lines or more
    (a run apart from the rest on one line, like a header's unit, is no column)."""
    spans = sorted((run["x0"], run["x1"]) for runs in block for run in runs)
    merged: list[tuple[float, float, int]] = []
    for x0, x1 in spans:
        if merged and x0 <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], x1), merged[-1][2] + 1)
        else:
            merged.append((x0, x1, 1))
    return [(x0, x1) for x0, x1, runs in merged if runs >= 2]


def _reads_as_prose(block: list[list[dict[str, Any]]], columns: list[tuple[float, float]]) -> bool:
    """Columns of many-word runs, or of runs filling the column's width on nearly every
    line (justified text), are pages set in columns, not a table; so is a block where
    fewer than half the cells hold text, or one of single characters (vertical
    writing, read across its columns)."""
    cells = sum(len(runs) for runs in block)
    if cells < len(block) * len(columns) / 2:
        return True
    if sum(run["chars"] for runs in block for run in runs) < 1.5 * cells:
        return True
    prose = 0
    for x0, x1 in columns:
        inside = [r for runs in block for r in runs if x0 <= r["x0"] and r["x1"] <= x1]
        if not inside:
            continue
        words = sum(r["words"] for r in inside) / len(inside)
        chars = sum(r["chars"] for r in inside) / len(inside)
        full = sum(r["x0"] - x0 < 1.5 and x1 - r["x1"] < 1.5 for r in inside) / len(inside)
        prose += (words >= _PROSE_WORDS and chars >= _PROSE_CHARS) or (
            full >= _JUSTIFIED and chars >= 8 and len(inside) > 3
        )
    return prose >= 2 or prose * 2 >= len(columns)


def _grid(page: Any, box: Box, max_cells: int) -> list[list[str]]:
    """pdfplumber's text strategies on the block's region; [] unless they find one table
    of :data:`MIN_COLUMNS` columns or more."""
    settings = {
        "vertical_strategy": "text",
        "horizontal_strategy": "text",
        "min_words_vertical": 2,
        "min_words_horizontal": 1,
        "text_x_tolerance": 3,
        "text_y_tolerance": 3,
    }
    tables = page.crop(box, strict=False).find_tables(settings)
    if len(tables) != 1:
        return []
    rows = [[" ".join((cell or "").split()) for cell in row] for row in tables[0].extract(**TEXT)]
    rows = [row for row in rows if any(row)]
    columns = max((len(row) for row in rows), default=0)
    if len(rows) < MIN_ROWS or columns < MIN_COLUMNS or len(rows) * columns > max_cells:
        return []
    return rows
