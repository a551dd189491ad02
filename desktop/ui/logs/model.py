"""The trace table's item model: one row per chat turn, newest first, as
``LogService.traces`` returns them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt

from desktop.ui.plain import plain_tip
from desktop.ui.times import local_time
from desktop.ui.widgets import Index, RowTableModel

_PREVIEW = 90


def one_line(text: str, limit: int = _PREVIEW) -> str:
    """The text on one line, cut to ``limit`` characters with an ellipsis."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def when(ts: str) -> str:
    """A stored UTC time as the window shows it (local time with its zone)."""
    return local_time(ts)


class TraceListModel(RowTableModel):
    """Columns: time, user, app, question, answer, rating, annotations."""

    COLUMNS = ("time", "user", "app", "question", "answer", "rating", "notes")
    rows: list[dict[str, Any]]

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._apps: dict[int, str] = {}

    # ------------------------------------------------------------------ contents

    def set_traces(self, traces: list[dict[str, Any]], apps: dict[int, str]) -> None:
        self._apps = dict(apps)
        self.set_rows(traces)

    def trace(self, row: int) -> dict[str, Any]:
        return self.rows[row]

    def app_name(self, trace: dict[str, Any]) -> str:
        app_id = (trace.get("trace") or {}).get("app_id")
        if app_id is None:
            return ""
        return self._apps.get(
            int(app_id), QCoreApplication.translate("TraceListModel", "app {id}").format(id=app_id)
        )

    def replace_trace(self, turn_id: int, trace: dict[str, Any]) -> None:
        """Swap in a fresh copy of one turn (after an annotation)."""
        for row, old in enumerate(self.rows):
            if (old.get("trace") or {}).get("turn_id") == turn_id:
                self.rows[row] = trace
                last = self.index(row, len(self.COLUMNS) - 1)
                self.dataChanged.emit(self.index(row, 0), last)

    # ------------------------------------------------------------------ Qt API

    def titles(self) -> tuple[str, ...]:
        return (
            QCoreApplication.translate("TraceListModel", "Time"),
            QCoreApplication.translate("TraceListModel", "User"),
            QCoreApplication.translate("TraceListModel", "App"),
            QCoreApplication.translate("TraceListModel", "Question"),
            QCoreApplication.translate("TraceListModel", "Answer"),
            QCoreApplication.translate("TraceListModel", "Rating"),
            QCoreApplication.translate("TraceListModel", "Annotations"),
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        trace = self.rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(trace, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in ("question", "answer"):
            body = trace.get("trace") or {}
            text = str(body.get("input" if column == "question" else "output", ""))
            return plain_tip(text[:2000])
        if role == Qt.ItemDataRole.UserRole:
            return (trace.get("trace") or {}).get("turn_id")
        return None

    def _display(self, trace: dict[str, Any], column: str) -> str:
        body = trace.get("trace") or {}
        if trace.get("purged") and column not in ("time", "user", "app"):
            return (
                QCoreApplication.translate("TraceListModel", "(removed by retention)")
                if column == "question"
                else ""
            )
        rating = (trace.get("feedback") or {}).get("rating")
        count = len(trace.get("annotations") or [])
        cells = {
            "time": lambda: when(str(trace.get("ts", ""))),
            "user": lambda: str(trace.get("user", "")),
            "app": lambda: self.app_name(trace),
            "question": lambda: one_line(body.get("input", "")),
            "answer": lambda: one_line(body.get("output", "")),
            "rating": lambda: {
                "up": QCoreApplication.translate("TraceListModel", "Helpful"),
                "down": QCoreApplication.translate("TraceListModel", "Not helpful"),
            }.get(str(rating), ""),
            "notes": lambda: str(count) if count else "",
        }
        return cells[column]()
