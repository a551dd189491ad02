"""The values an app's instructions ask for (``{{name}}``). A new conversation fills them
in; once it has started they are fixed, so the form shows them read-only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtWidgets import QFormLayout, QFrame, QLineEdit, QWidget

from desktop.ui.plain import PlainLabel


def variable_label(key: str) -> str:
    """A variable's key as words: ``start_date`` is "Start date"; a key in capitals
    (``ID``) or with capitals inside (``costCentre``) keeps its own spelling."""
    words = key.replace("_", " ").replace("-", " ").split()
    if not words:
        return key
    text = " ".join(words)
    if any(ch.isupper() for ch in text):
        return text
    return text[0].upper() + text[1:]


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
        self,
        names: Sequence[str],
        values: Mapping[str, str] | None,
        *,
        editable: bool,
        labels: Mapping[str, str] | None = None,
    ) -> None:
        """Show ``names`` under their ``labels`` (the key as words when a name has none);
        ``values`` fills them in (a started conversation's, read-only)."""
        while self._form.rowCount():
            self._form.removeRow(0)
        self.fields = {}
        for name in names:
            edit = QLineEdit(self)
            edit.setObjectName(f"var_{name}")
            shown = (labels or {}).get(name, "").strip() or variable_label(name)
            edit.setPlaceholderText(self.tr("Value for {name} (required)").format(name=shown))
            edit.setText((values or {}).get(name, ""))
            edit.setReadOnly(not editable)
            label = PlainLabel(shown, self)
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
