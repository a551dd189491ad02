"""The labels of an app's variables: one row per ``{{variable}}`` of the instructions,
its key beside the label the chat's form shows for it (blank: the key as words)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.chat.variables import variable_label
from desktop.ui.plain import plain_tip

KEY, LABEL = 0, 1


class VariableLabelsEditor(QWidget):
    """A two-column table: the variable (read-only) and its label (double-click to edit).
    Hidden while the instructions declare no variable. Labels typed for a variable the
    instructions drop are kept while the form is open, in case it comes back."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("appVariableLabels")
        self.table.setHorizontalHeaderLabels([self.tr("Variable"), self.tr("Label in chat")])
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(KEY, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(LABEL, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        self._names: tuple[str, ...] = ()
        self._remembered: dict[str, str] = {}
        self.table.itemChanged.connect(self._on_item_changed)
        self.hide()

    def load(self, names: Sequence[str], labels: Mapping[str, str]) -> None:
        """Show ``names`` with ``labels`` (an app was loaded: forget earlier typing)."""
        self._remembered = dict(labels)
        self._names = ()
        self.set_names(names)

    def set_names(self, names: Sequence[str]) -> None:
        """The instructions now declare ``names``: rebuild the rows when they changed."""
        if tuple(names) == self._names:
            return
        self._remembered.update(self.labels())
        self._names = tuple(names)
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._names))
        for row, name in enumerate(self._names):
            key = QTableWidgetItem(name)
            key.setFlags(Qt.ItemFlag.ItemIsEnabled)
            label = QTableWidgetItem(self._remembered.get(name, ""))
            blank = self.tr("Blank: the chat shows “{words}”")
            label.setToolTip(plain_tip(blank.format(words=variable_label(name))))
            self.table.setItem(row, KEY, key)
            self.table.setItem(row, LABEL, label)
        self.table.blockSignals(False)
        self._fit_rows()
        self.setVisible(bool(self._names))

    def _fit_rows(self) -> None:
        """As tall as its rows (up to five; more scroll)."""
        rows = sum(self.table.rowHeight(r) for r in range(min(self.table.rowCount(), 5)))
        frame = 2 * self.table.frameWidth()
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height() + rows + frame)

    def labels(self) -> dict[str, str]:
        """The non-blank label of each variable shown."""
        found = {}
        for row, name in enumerate(self._names):
            item = self.table.item(row, LABEL)
            text = item.text().strip() if item is not None else ""
            if text:
                found[name] = text
        return found

    def set_label(self, name: str, label: str) -> None:
        """Type ``label`` for ``name`` (as a double-click and typing would)."""
        row = self._names.index(name)
        item = self.table.item(row, LABEL)
        assert item is not None
        item.setText(label)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == LABEL:
            self.changed.emit()
