""".xlsx with openpyxl (read-only, cached values), behind :class:`BoundedArchive`.

openpyxl opens the archive itself, so every member is first inflated once through the
bounded reader (sizes, ratios, XML tag count, encrypted or damaged members) and only
then handed to the library; its rows are streamed, counted against the cell limit,
and the cancel token is checked as they come.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, NoReturn

from desktop.core.errors import Cancelled, IngestionFailed
from desktop.core.knowledge_models import ParsedDocument
from desktop.core.tasks import CancelToken
from desktop.retrieval.formats.archive import BoundedArchive
from desktop.retrieval.formats.base import DocBuilder, ParseLimits, display_name
from desktop.retrieval.structure import table_delimiter, table_row

_CANCEL_EVERY = 256


# ---------------------------------------------------------------- .xlsx


def parse_xlsx(name: str, data: bytes, limits: ParseLimits, cancel: CancelToken) -> ParsedDocument:
    """Each sheet becomes a ``## sheet`` section holding a Markdown table of its cached
    values, the first non-empty row as the header; empty rows are left out."""
    with BoundedArchive(name, data, limits, cancel) as archive:
        archive.inflate_all()
    workbook = _open(name, data, _load_xlsx)
    builder = DocBuilder(name, "xlsx", limits)
    try:
        sheets = _read_sheets(name, workbook, builder, limits, cancel)
    except (IngestionFailed, Cancelled):
        raise
    except Exception as exc:  # a damaged sheet only shows while its rows are read
        _damaged(name, exc)
    finally:
        workbook.close()
    return builder.build({"sheets": sheets})


def _read_sheets(
    name: str, workbook: Any, builder: DocBuilder, limits: ParseLimits, cancel: CancelToken
) -> list[str]:
    """Stream every worksheet's rows into ``builder``; the cell budget stops sheets whose
    rows are padded out to thousands of empty columns."""
    sheets: list[str] = []
    cells = 0
    for sheet in workbook.worksheets:
        sheets.append(sheet.title)
        builder.add_heading(sheet.title, 1, line=f"## {sheet.title}")
        columns = 0  # the header row's width, once it is read
        for number, row in enumerate(sheet.iter_rows(values_only=True)):
            if number % _CANCEL_EVERY == 0:
                cancel.raise_if_cancelled()
            cells += len(row)
            if cells > limits.max_cells:
                raise IngestionFailed(
                    "knowledge.xlsx_too_many_cells",
                    stage="limits",
                    name=display_name(name),
                    limit=limits.max_cells,
                )
            values = [_cell_text(v) for v in row]
            while values and not values[-1]:
                values.pop()
            if not values:
                continue
            if not columns:
                columns = len(values)
                builder.add_block(f"{table_row(values)}\n{table_delimiter(columns)}")
            else:
                builder.add_block(table_row(values + [""] * (columns - len(values))))
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
