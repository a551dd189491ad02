"""The values an app's instructions ask for (``{{name}}``). A new conversation fills them
in; once it has started they are fixed, so the form shows them read-only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtWidgets import QFormLayout, QFrame, QLineEdit, QWidget

from desktop.ui.plain import PlainLabel


class VariableForm(QFrame):
    """One line per variable; every variable the app declares is required."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("variableForm")
        self._form = QFormLayout(self)
        self._form.setContentsMargins(0, 0, 0, 0)
        self._form.setSpacing(6)
        self.fields: dict[str, QLineEdit] = {}
        self.hide()

    def set_variables(
        self, names: Sequence[str], values: Mapping[str, str] | None, *, editable: bool
    ) -> None:
        """Show ``names``; ``values`` fills them in (a started conversation's, read-only)."""
        while self._form.rowCount():
            self._form.removeRow(0)
        self.fields = {}
        for name in names:
            edit = QLineEdit(self)
            edit.setObjectName(f"var_{name}")
            edit.setPlaceholderText(self.tr("Value for {name} (required)").format(name=name))
            edit.setText((values or {}).get(name, ""))
            edit.setReadOnly(not editable)
            label = PlainLabel(name, self)
            label.setBuddy(edit)
            self._form.addRow(label, edit)
            self.fields[name] = edit
        self.setVisible(bool(names))

    def values(self) -> dict[str, str]:
        return {name: edit.text().strip() for name, edit in self.fields.items()}

    def missing(self) -> list[str]:
        return [name for name, value in self.values().items() if not value]

    def focus_first_missing(self) -> None:
        for name in self.missing():
            self.fields[name].setFocus()
            return
