"""Office Open XML: .docx (python-docx) and .xlsx (openpyxl), behind a zip-bomb guard.

Both formats are zip archives, so before a library opens one, :func:`check_zip`
checks the sizes its central directory declares (total, per-member ratio, member
count) and then inflates every member in blocks, counting the bytes that really come
out, so an archive that lies about its sizes is caught while it is being read.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any, NoReturn

from desktop.core.errors import IngestionFailed
from desktop.core.knowledge_models import ParsedDocument
from desktop.retrieval.formats.base import MIB, DocBuilder, ParseLimits, display_name

_RATIO_FLOOR = MIB  # members smaller than this are never judged by their ratio
_BLOCK = MIB
_HEADING_STYLE = re.compile(r"^(?:heading|見出し)\s*(\d)$", re.IGNORECASE)


def check_zip(name: str, data: bytes, limits: ParseLimits) -> None:
    """IngestionFailed(stage="limits") for a zip bomb, stage="parse" for a broken zip."""
    shown = display_name(name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_directory(shown, members, limits)
            _check_inflated(shown, archive, members, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise IngestionFailed(
            "knowledge.office_damaged",
            stage="parse",
            name=shown,
            details=f"{type(exc).__name__}: {exc}",
        ) from exc
    except NotImplementedError as exc:  # an unsupported compression method
        raise IngestionFailed(
            "knowledge.zip_compression_unsupported", stage="parse", name=shown, details=str(exc)
        ) from exc


def _check_directory(shown: str, members: list[zipfile.ZipInfo], limits: ParseLimits) -> None:
    if len(members) > limits.max_zip_members:
        raise IngestionFailed(
            "knowledge.zip_bomb_members", stage="limits", name=shown, count=len(members)
        )
    total = sum(m.file_size for m in members)
    if total > limits.max_unzipped_bytes:
        raise IngestionFailed(
            "knowledge.zip_bomb_size",
            stage="limits",
            name=shown,
            size=total / MIB,
            limit=limits.max_unzipped_bytes / MIB,
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_FLOOR and ratio > limits.max_zip_ratio:
            raise IngestionFailed(
                "knowledge.zip_bomb_ratio",
                stage="limits",
                name=shown,
                ratio=ratio,
                member=member.filename,
            )


def _check_inflated(
    shown: str, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limits: ParseLimits
) -> None:
    total = 0
    for member in members:
        with archive.open(member) as stream:
            while block := stream.read(_BLOCK):
                total += len(block)
                if total > limits.max_unzipped_bytes:
                    raise IngestionFailed(
                        "knowledge.zip_bomb_inflated",
                        stage="limits",
                        name=shown,
                        limit=limits.max_unzipped_bytes / MIB,
                    )


# ---------------------------------------------------------------- .docx


def parse_docx(name: str, data: bytes, limits: ParseLimits) -> ParsedDocument:
    """Paragraphs in order; Heading/Title styles become sections; tables as tab rows."""
    check_zip(name, data, limits)
    document = _open(name, data, _load_docx)
    builder = DocBuilder(name, "docx", limits)
    paragraphs = tables = 0
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            tables += 1
            for row in _table_rows(block):
                builder.add_block(row)
        else:
            paragraphs += 1
            level = _heading_level(block)
            if level is not None:
                builder.add_heading(block.text, level)
            else:
                builder.add_block(block.text)
    return builder.build({"paragraphs": paragraphs, "tables": tables})


def _load_docx(data: bytes) -> Any:
    import docx

    return docx.Document(io.BytesIO(data))


def _heading_level(paragraph: Any) -> int | None:
    """0 for the Title style, N for Heading N (English or Japanese style names), else
    None: a Title stays above the document's headings in their paths."""
    style = getattr(paragraph, "style", None)
    style_name = (getattr(style, "name", "") or "").strip()
    if style_name.lower() == "title" or style_name == "表題":
        return 0
    match = _HEADING_STYLE.match(style_name)
    return int(match.group(1)) if match else None


def _table_rows(table: Any) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:  # a merged cell repeats once per grid column
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        yield "\t".join(cells).rstrip("\t")


# ---------------------------------------------------------------- .xlsx


def parse_xlsx(name: str, data: bytes, limits: ParseLimits) -> ParsedDocument:
    """Each sheet becomes a ``## sheet`` section of tab-separated rows (cached values)."""
    check_zip(name, data, limits)
    workbook = _open(name, data, _load_xlsx)
    builder = DocBuilder(name, "xlsx", limits)
    try:
        sheets = _read_sheets(name, workbook, builder, limits)
    except IngestionFailed:
        raise
    except Exception as exc:  # a damaged sheet only shows while its rows are read
        _damaged(name, exc)
    finally:
        workbook.close()
    return builder.build({"sheets": sheets})


def _read_sheets(name: str, workbook: Any, builder: DocBuilder, limits: ParseLimits) -> list[str]:
    """Stream every worksheet's rows into ``builder``; the cell budget stops sheets whose
    rows are padded out to thousands of empty columns."""
    sheets: list[str] = []
    cells = 0
    for sheet in workbook.worksheets:
        sheets.append(sheet.title)
        builder.add_heading(sheet.title, 1, line=f"## {sheet.title}")
        for row in sheet.iter_rows(values_only=True):
            cells += len(row)
            if cells > limits.max_cells:
                raise IngestionFailed(
                    "knowledge.xlsx_too_many_cells",
                    stage="limits",
                    name=display_name(name),
                    limit=limits.max_cells,
                )
            builder.add_block("\t".join(_cell_text(v) for v in row).rstrip("\t"))
    return sheets


def _load_xlsx(data: bytes) -> Any:
    import openpyxl

    return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return " ".join(str(value).split())


def _open(name: str, data: bytes, loader: Any) -> Any:
    try:
        return loader(data)
    except Exception as exc:  # the libraries raise KeyError, ValueError, lxml errors...
        _damaged(name, exc)


def _damaged(name: str, exc: Exception) -> NoReturn:
    raise IngestionFailed(
        "knowledge.office_damaged",
        stage="parse",
        name=display_name(name),
        details=f"{type(exc).__name__}: {exc}",
    ) from exc
