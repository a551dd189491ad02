"""Building blocks every screen shares: a page title and header row, primary and danger
buttons, an empty-state label, a whole-number spin box, a read-only table of rows and an
item model over a list.
Their looks come from the style sheet (desktop/ui/style.py), by object name or property."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QWidget,
)

from desktop.ui.plain import PlainLabel

Index = QModelIndex | QPersistentModelIndex
TableT = TypeVar("TableT", bound=QTableView)


class Card(QFrame):
    """A fixed-width panel (sign-in, first run) whose height follows its content.

    Qt lays a frame out by its plain size hint, which ignores how tall word-wrapped text
    becomes at the frame's width, so the fields below a wrapped label were squeezed. The
    card sets its minimum height from its layout whenever that layout changes.
    """

    def __init__(self, width: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFixedWidth(width)

    def event(self, event: QEvent) -> bool:
        # a card changed while hidden (the lock screen's text is set before it shows)
        # gets no layout request, so it fits again when it is shown
        if event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Show):
            self._fit()
        return super().event(event)

    def _fit(self) -> None:
        layout = self.layout()
        if layout is None:
            return
        height = max(layout.totalHeightForWidth(self.width()), layout.totalMinimumSize().height())
        if height > 0:
            self.setMinimumHeight(height)


def page_title(text: str, parent: QWidget | None = None) -> QLabel:
    label = PlainLabel(text, parent)
    label.setObjectName("pageTitle")
    return label


def spread_row(left: Iterable[QWidget] = (), right: Iterable[QWidget] = ()) -> QHBoxLayout:
    """A row with ``left`` at its start and ``right`` at its end."""
    row = QHBoxLayout()
    for widget in left:
        row.addWidget(widget)
    row.addStretch(1)
    for widget in right:
        row.addWidget(widget)
    return row


def page_header(title: str, parent: QWidget, *buttons: QWidget) -> QHBoxLayout:
    """A screen's title on the left, its buttons on the right."""
    return spread_row([page_title(title, parent)], buttons)


def primary_button(text: str, name: str, parent: QWidget | None = None) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setProperty("primary", True)
    return button


def danger_button(text: str, name: str, parent: QWidget | None = None) -> QPushButton:
    """A button for something that cannot be undone (ask first: knowledge.widgets.confirm)."""
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setProperty("danger", True)
    return button


def empty_state(text: str, name: str, parent: QWidget | None = None) -> QLabel:
    label = PlainLabel(text, parent)
    label.setObjectName("emptyState")
    label.setProperty("name", name)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def spin_box(parent: QWidget, name: str, low: int, high: int, step: int = 1) -> QSpinBox:
    box = QSpinBox(parent)
    box.setObjectName(name)
    box.setRange(low, high)
    box.setSingleStep(step)
    return box


def row_table(table: TableT, name: str) -> TableT:
    """``table`` (a QTableView or QTableWidget) made read-only, choosing one whole row at a
    time, without row numbers."""
    table.setObjectName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    return table


class RowTableModel(QAbstractTableModel):
    """A read-only table over ``rows``, one per row; ``COLUMNS`` names the columns and
    :meth:`titles` gives their headers (translated) in the same order."""

    COLUMNS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []

    def set_rows(self, rows: Iterable[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def titles(self) -> Sequence[str]:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.titles()[section]
