"""Tables set without ruling lines: columns of text that line up, as reports and
spreadsheets exported to PDF print them.

pdfplumber's table finder cuts any text into a grid, prose included, so it is run only
on the part of a page that plausibly holds a table, found in two steps, the cheap one
first:

* :class:`ColumnSniffer` watches pypdf's text extraction (which happens anyway) and
  marks a page where at least three consecutive lines each show three or more runs of
  text of a few words, or two runs the first of which has a few words (a two-column
  table's keys), set apart by gaps wider than a character (or by two spaces or more,
  as rows padded with spaces are); only such pages are read again by pdfplumber
  (about ten times slower than pypdf).
* :func:`unruled_tables` groups pdfplumber's words into lines and runs of text, and
  looks for consecutive lines whose runs fall into the same two or more columns (the
  gaps between columns are empty on every line). A line of one run inside such a
  block, or right after it, set as close as its lines and within one column, is the
  next line of a wrapped cell. Prose (one run a line), multi-column prose (columns of
  long, justified lines) and lists with hanging indents (a first column of markers
  alone) are refused; a two-column table needs the first column's cells short (a
  glossary of long definitions stays text). Only the region of such a block is handed
  to pdfplumber's table finder, told where the columns part (in the gaps no text
  crosses) and where the rows begin (a wrapped cell's next line begins none), so a
  wrapped cell's lines come back as one cell, joined by :func:`unwrap`.
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
_MAX_WRAPPED = 3  # lines of one run the sniffer lets a streak of table lines go over
_SPACED = re.compile(r"\s{2,}")
_MAX_LINES = 400  # a block of more lines is not cut into cells (it stays text)
_PITCH = 1.5  # a line further below the last than this many times the usual pitch ends
_WRAPPED = 0.9  # a first-column line set closer than this share of the row pitch wraps
# a list marker alone: "1.", "(2)", "iii)", "a.", "•", "・", "①"
_MARKER = re.compile(
    r"\(?(?:\d{1,3}|[ivxlc]{1,5}|[a-z])[.)．）]?|[•・\-*‐–—▪■□○●◆◇※]|[\u2460-\u24ff]", re.I
)
# a line break beside a character of a script written without spaces (CJK, kana)
_NO_SPACE = "\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_UNSPACED_BREAK = re.compile(
    f"(?<=[{_NO_SPACE}])[ \t]*\n[ \t]*(?=\\S)|(?<=\\S)[ \t]*\n[ \t]*(?=[{_NO_SPACE}])"
)


class ColumnSniffer:
    """A pypdf ``visitor_text``: the runs of text on one page, by baseline."""

    def __init__(self) -> None:
        # y -> runs: (x, estimated end, font size, words, gaps of two spaces or more,
        # whether it is a list marker alone)
        self._lines: dict[int, list[tuple[float, float, float, int, int, bool]]] = {}

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
        marker = _MARKER.fullmatch(text.strip()) is not None
        run = (x, x + width * size, size, len(text.split()), gaps, marker)
        self._lines.setdefault(round(y), []).append(run)

    def has_columns(self) -> bool:
        """Whether three consecutive lines each show three or more runs of text of a few
        words each (runs of many words are prose set in columns), or two runs, the
        first of a few words (a two-column table's key or label, not a list marker; a
        line of one run between such lines, a wrapped value, does not break the
        streak)."""
        streak = wrapped = 0
        for y in sorted(self._lines, reverse=True):
            runs = sorted(self._lines[y])
            cells = 1 + sum(run[4] for run in runs)  # columns padded with spaces
            first = runs[0][3]  # the words of the first cell
            for (_, end, size, *_), (x, _, _, words, *_) in pairwise(runs):
                apart = x - end > _SNIFF_GAP * size
                first += words if cells == 1 and not apart else 0
                cells += apart
            words = sum(run[3] for run in runs)
            tabular = (cells >= MIN_COLUMNS and words < _PROSE_WORDS * cells) or (
                cells == 2 and first < _PROSE_WORDS and not runs[0][5]
            )
            if cells == 1 and streak and wrapped < _MAX_WRAPPED:
                wrapped += 1  # maybe a wrapped cell's next line
                continue
            streak, wrapped = (streak + 1 if tabular else 0), 0
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
    blocks = []
    for lines_near in _blocks(lines):
        columns = _columns([runs for runs in lines_near if len(runs) >= 2])
        for part in _with_wrapped_lines(lines_near, columns):
            blocks.append((part, _columns([runs for runs in part if len(runs) >= 2])))
    for block, columns in blocks:
        if len(block) > _MAX_LINES or len(block) * len(columns) > max_cells:
            continue
        if not _enough_rows(block, columns) or _reads_as_prose(block, columns):
            continue
        box = (
            min(run["x0"] for runs in block for run in runs) - 1,
            min(run["top"] for runs in block for run in runs) - 1,
            max(run["x1"] for runs in block for run in runs) + 1,
            max(run["bottom"] for runs in block for run in runs) + 1,
        )
        rows = _grid(page, box, _column_lines(block, columns, box), _row_lines(block, columns, box))
        if rows and len(rows) * len(columns) <= max_cells:
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
            last["text"] += " " + word["text"]
        else:
            runs.append(
                {
                    "x0": word["x0"],
                    "x1": word["x1"],
                    "top": word["top"],
                    "bottom": word["bottom"],
                    "words": 1,
                    "chars": len(word["text"]),
                    "text": word["text"],
                }
            )
    return runs


def _blocks(lines: list[list[dict[str, Any]]]) -> list[list[list[dict[str, Any]]]]:
    """Runs of consecutive lines holding two or more runs of text each (and the lines of
    one run between them or right after them, set as close as the block's lines: maybe
    a wrapped cell's, :func:`_with_wrapped_lines` decides), at least :data:`MIN_ROWS`
    of them with two runs or more."""
    found = []
    current: list[list[dict[str, Any]]] = []
    for runs in [*lines, []]:
        if len(runs) >= 2 or (len(runs) == 1 and current and _close(current, runs)):
            current.append(runs)
            continue
        if sum(len(r) >= 2 for r in current) >= MIN_ROWS:
            found.append(current)
        current = []
    return found


def _close(block: list[list[dict[str, Any]]], runs: list[dict[str, Any]]) -> bool:
    """Whether a line is set no further below the block's last line than the block's
    lines are from one another (a blank line's gap ends a table)."""
    tops = [float(line[0]["top"]) for line in block]
    top, height = float(runs[0]["top"]), float(runs[0]["bottom"] - runs[0]["top"])
    pitches = sorted(b - a for a, b in pairwise(tops)) or [1.6 * height]
    return top - tops[-1] <= _PITCH * pitches[len(pitches) // 2]


def _with_wrapped_lines(
    block: list[list[dict[str, Any]]], columns: list[tuple[float, float]]
) -> list[list[list[dict[str, Any]]]]:
    """The block's tables: a line of one run that crosses from one column into the next
    (a heading or a sentence between two tables) parts them and stays text; after the
    last line of two runs or more, a line of one run is a wrapped cell's only within a
    column other than the first (in the first, it is a note or a caption under the
    table). Lines of one run within a column between table lines stay: a wrapped
    cell's, or a row of its own, :func:`_row_lines` says which."""
    parts: list[list[list[dict[str, Any]]]] = [[]]
    for position, runs in enumerate(block):
        where = _column_of(runs[0], columns) if len(runs) == 1 else -1
        if where is None:
            parts.append([])
            continue
        if where == 0 and not any(len(r) >= 2 for r in block[position + 1 :]):
            break
        parts[-1].append(runs)
    return [part for part in parts if sum(len(runs) >= 2 for runs in part) >= MIN_ROWS]


def _column_of(run: dict[str, Any], columns: list[tuple[float, float]]) -> int | None:
    """The column a run lies in (it may run on into the gap after it, not over the
    next column's start); None when it crosses into another column."""
    for index, (x0, _) in enumerate(columns):
        following = columns[index + 1][0] if index + 1 < len(columns) else math.inf
        if x0 - 1.5 <= run["x0"] and run["x1"] < following - 1.0:
            return index
    return None


def _enough_rows(block: list[list[dict[str, Any]]], columns: list[tuple[float, float]]) -> bool:
    """:data:`MIN_ROWS` lines with :data:`MIN_COLUMNS` runs or more; a table of two
    columns needs them all filled on as many lines, and its first column must hold more
    than list markers ("1.", "•": a list with hanging indents is not a table)."""
    if len(columns) >= MIN_COLUMNS:
        return sum(len(runs) >= MIN_COLUMNS for runs in block) >= MIN_ROWS
    if len(columns) != 2 or sum(len(runs) == 2 for runs in block) < MIN_ROWS:
        return False
    firsts = [runs[0]["text"] for runs in block if _column_of(runs[0], columns) == 0]
    return not all(_MARKER.fullmatch(text) for text in firsts)


def _row_lines(
    block: list[list[dict[str, Any]]], columns: list[tuple[float, float]], box: Box
) -> list[float]:
    """Where the block's rows begin and where the last ends: every line begins a row
    but a wrapped cell's next line. That is a line whose first column is empty and
    that fills at most half the columns, or a line of the first column alone set
    closer to the line above than the rows are to one another."""
    pitches = sorted(
        b[0]["top"] - a[0]["top"] for a, b in pairwise(block) if len(a) >= 2 and len(b) >= 2
    )
    row_pitch = pitches[len(pitches) // 2] if pitches else 0.0
    tops: list[float] = []
    for position, runs in enumerate(block):
        filled = {_column_of(run, columns) for run in runs}
        if position and not filled & {0, None} and 2 * len(filled) <= len(columns):
            continue  # a wrapped cell's next line (a run across columns begins a row)
        gap = runs[0]["top"] - block[position - 1][0]["top"] if position else 0.0
        if position and filled == {0} and gap < _WRAPPED * row_pitch:
            continue
        tops.append(min(run["top"] for run in runs) - 0.5)
    return [*tops, box[3]]


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
    writing, read across its columns). Of two columns, the first must hold short keys
    and the second be no justified text (its values may be sentences)."""
    cells = sum(len(runs) for runs in block)
    if cells < len(block) * len(columns) / 2:
        return True
    if sum(run["chars"] for runs in block for run in runs) < 1.5 * cells:
        return True
    wordy: list[bool] = []  # runs of many words, on average
    justified: list[bool] = []  # runs filling the column's width
    for x0, x1 in columns:
        inside = [r for runs in block for r in runs if x0 <= r["x0"] and r["x1"] <= x1]
        if not inside:
            wordy.append(False)
            justified.append(False)
            continue
        words = sum(r["words"] for r in inside) / len(inside)
        chars = sum(r["chars"] for r in inside) / len(inside)
        full = sum(r["x0"] - x0 < 1.5 and x1 - r["x1"] < 1.5 for r in inside) / len(inside)
        wordy.append(words >= _PROSE_WORDS and chars >= _PROSE_CHARS)
        justified.append(full >= _JUSTIFIED and chars >= 8 and len(inside) > 3)
    if len(columns) == 2:  # keys, then values that may be sentences, not a justified text
        return wordy[0] or justified[0] or justified[1]
    prose = sum(w or j for w, j in zip(wordy, justified, strict=True))
    return prose >= 2 or prose * 2 >= len(columns)


def _column_lines(
    block: list[list[dict[str, Any]]], columns: list[tuple[float, float]], box: Box
) -> list[float]:
    """The block's column boundaries: its edges, and between two columns the middle of
    the last gap before the second that no run of text crosses (a header's unit set
    apart from its name, "重さ (kg)", stays with it), else of the gap between them."""
    spans = sorted((run["x0"], run["x1"]) for runs in block for run in runs)
    covered: list[tuple[float, float]] = []
    for x0, x1 in spans:
        if covered and x0 <= covered[-1][1]:
            covered[-1] = (covered[-1][0], max(covered[-1][1], x1))
        else:
            covered.append((x0, x1))
    free = [(a[1], b[0]) for a, b in pairwise(covered)]
    lines = [box[0]]
    for a, b in pairwise(columns):
        gaps = [gap for gap in free if a[1] <= gap[0] and gap[1] <= b[0]]
        left, right = gaps[-1] if gaps else (a[1], b[0])
        lines.append((left + right) / 2)
    return [*lines, box[2]]


def _grid(
    page: Any, box: Box, column_lines: list[float], row_lines: list[float]
) -> list[list[str]]:
    """pdfplumber's table finder on the block's region, told where its columns and rows
    part (explicit lines: a wrapped cell's lines stay in one cell, which the text
    strategies would cut into rows, and a cell of several words stays whole); [] unless
    it finds one table of those columns. A wrapped cell's lines are joined
    (:func:`unwrap`)."""
    settings = {
        "vertical_strategy": "explicit",
        "explicit_vertical_lines": column_lines,
        "horizontal_strategy": "explicit",
        "explicit_horizontal_lines": row_lines,
    }
    tables = page.crop(box, strict=False).find_tables(settings)
    if len(tables) != 1:
        return []
    rows = [[unwrap(cell or "") for cell in row] for row in tables[0].extract(**TEXT)]
    rows = [row for row in rows if any(row)]
    if len(rows) < MIN_ROWS or any(len(row) != len(column_lines) - 1 for row in rows):
        return []
    return rows


def unwrap(cell: str) -> str:
    """A table cell's text on one line: its lines (a cell too narrow for its text wraps
    it) joined by a space, or by nothing where either side of the break is Japanese
    (or other text written without spaces: "チャットは" + "1年" is "チャットは1年")."""
    return " ".join(_UNSPACED_BREAK.sub("", cell).split())
