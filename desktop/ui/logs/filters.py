"""Filter widgets the log screens share: an optional date range and an app chooser."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QWidget

from desktop.ui.plain import PlainLabel


class DateRangeFilter(QWidget):
    """ "Between [from] and [until]" behind a check box; days are whole UTC days and
    ``until`` is inclusive, as ``LogService`` reads them."""

    changed = Signal()

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.enabled = QCheckBox(self.tr("Between"), self)
        self.enabled.setObjectName("dateRangeEnabled")
        end = QDate(today.year, today.month, today.day)
        self.since_edit = self._date_edit("sinceDate", end.addDays(-30))
        self.until_edit = self._date_edit("untilDate", end)
        layout.addWidget(self.enabled)
        layout.addWidget(self.since_edit)
        layout.addWidget(PlainLabel(self.tr("and"), self))
        layout.addWidget(self.until_edit)
        self.enabled.toggled.connect(self._on_enabled_toggled)
        self._on_enabled_toggled(False)

    def _date_edit(self, name: str, value: QDate) -> QDateEdit:
        edit = QDateEdit(value, self)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.dateChanged.connect(self._on_date_changed)
        return edit

    def _on_enabled_toggled(self, on: bool) -> None:
        self.since_edit.setEnabled(on)
        self.until_edit.setEnabled(on)
        self.changed.emit()

    def _on_date_changed(self, _value: QDate) -> None:
        if self.enabled.isChecked():
            self.changed.emit()

    def since(self) -> str | None:
        """The first day (``YYYY-MM-DD``), or None when no range is set."""
        return self.since_edit.date().toString("yyyy-MM-dd") if self.enabled.isChecked() else None

    def until(self) -> str | None:
        """The last day, inclusive (``YYYY-MM-DD``), or None when no range is set."""
        return self.until_edit.date().toString("yyyy-MM-dd") if self.enabled.isChecked() else None


class AppFilter(QComboBox):
    """ "All apps" and each app by name; ``app_id()`` is None for all."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.set_apps({})

    def set_apps(self, apps: dict[int, str]) -> None:
        current = self.app_id()
        self.blockSignals(True)
        self.clear()
        self.addItem(self.tr("All apps"), None)
        for app_id, name in sorted(apps.items(), key=lambda item: item[1].casefold()):
            self.addItem(name, app_id)
        found = self.findData(current) if current is not None else 0
        self.setCurrentIndex(max(found, 0))
        self.blockSignals(False)

    def app_id(self) -> int | None:
        value = self.currentData()
        return None if value is None else int(value)
