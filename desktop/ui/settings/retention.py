"""Retention (Owner): how long each app's conversations and traces are kept, legal holds,
and purging what has expired now."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop.core.models import Actor
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.plain import PlainLabel, ask
from desktop.ui.settings.common import SettingsPage, group, hint
from desktop.ui.tasks import Lane, LaneContext
from desktop.ui.widgets import danger_button, primary_button

MAX_DAYS = 36_500


@dataclass(frozen=True, slots=True)
class RetentionRow:
    app_id: int
    name: str
    days: int | None  # None: kept forever
    legal_hold: bool


def read_rows(lc: LaneContext, actor: Actor) -> list[RetentionRow]:
    rows = []
    for app in lc.ws.apps.list(actor):
        kept = lc.ws.logs.retention(actor, app.id)
        rows.append(RetentionRow(app.id, app.config.name, kept["days"], bool(kept["legal_hold"])))
    return rows


class RetentionPage(SettingsPage):
    key = "retention"

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._rows: list[RetentionRow] = []
        self._editors: dict[int, tuple[QSpinBox, QCheckBox]] = {}
        self.body.addWidget(
            hint(
                self.tr(
                    "Conversations and their log entries older than an app's retention are "
                    "deleted when you purge; the audit chain keeps a tombstone for each. A "
                    "legal hold keeps everything of that app until it is lifted."
                ),
                self,
            )
        )
        self.message = InlineMessage(self)
        self.body.addWidget(self.message)
        self._build_table()
        self._build_purge()
        self.finish()

    def title(self) -> str:
        return self.tr("Retention")

    def _build_table(self) -> None:
        box, layout = group(self.tr("Per app"), self)
        self.table = QTableWidget(0, 3, box)
        self.table.setObjectName("retentionTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("App"), self.tr("Keep for"), self.tr("Legal hold")]
        )
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.empty = PlainLabel(
            self.tr("No apps yet — retention is set per app once an app exists."), box
        )
        self.empty.setObjectName("emptyState")
        self.save_button = primary_button(self.tr("Save retention"), "saveRetentionButton", box)
        self.save_button.clicked.connect(self._on_save_clicked)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.save_button)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        layout.addLayout(row)
        self.body.addWidget(box)

    def _build_purge(self) -> None:
        box, layout = group(self.tr("Purge"), self)
        layout.addWidget(
            hint(self.tr("Kura does not purge on its own: purge after changing retention."), box)
        )
        self.purge_button = danger_button(self.tr("Purge expired now…"), "purgeButton", box)
        self.purge_button.clicked.connect(self._on_purge_clicked)
        self.purge_result = PlainLabel(box)
        self.purge_result.setObjectName("purgeResult")
        self.purge_result.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.purge_button)
        row.addWidget(self.purge_result, 1)
        layout.addLayout(row)
        self.body.addWidget(box)

    # ------------------------------------------------------------------ loading

    def activate(self) -> None:
        actor = self.actor()
        self.run(
            Lane.DB,
            lambda lc: read_rows(lc, actor),
            key="load",
            on_done=self._show,
            on_failed=self.message.show_error,
        )

    def _show(self, rows: list[RetentionRow]) -> None:
        self._rows = rows
        self._editors.clear()
        self.table.setRowCount(0)
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            name = QTableWidgetItem(row.name)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(index, 0, name)
            days = QSpinBox(self.table)
            days.setObjectName(f"retentionDays_{row.app_id}")
            days.setRange(0, MAX_DAYS)
            days.setSpecialValueText(self.tr("Forever"))
            days.setSuffix(self.tr(" days"))
            days.setValue(row.days or 0)
            self.table.setCellWidget(index, 1, days)
            cell = QWidget(self.table)
            hold = QCheckBox(cell)
            hold.setObjectName(f"legalHold_{row.app_id}")
            hold.setChecked(row.legal_hold)
            centered = QHBoxLayout(cell)
            centered.setContentsMargins(0, 0, 0, 0)
            centered.addWidget(hold, 0, Qt.AlignmentFlag.AlignCenter)
            self.table.setCellWidget(index, 2, cell)
            self._editors[row.app_id] = (days, hold)
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        self.save_button.setEnabled(bool(rows))

    def edited(self) -> list[RetentionRow]:
        """The rows whose days or hold differ from what was loaded."""
        changed = []
        for row in self._rows:
            days, hold = self._editors[row.app_id]
            new = RetentionRow(row.app_id, row.name, days.value() or None, hold.isChecked())
            if new != row:
                changed.append(new)
        return changed

    # ------------------------------------------------------------------ changes

    def _on_save_clicked(self) -> None:
        changed = self.edited()
        if not changed:
            self.message.show_info(self.tr("Nothing changed."))
            return
        actor = self.actor()

        def op(lc: LaneContext) -> list[RetentionRow]:
            for row in changed:
                lc.ws.logs.set_retention(
                    actor, row.app_id, days=row.days, legal_hold=row.legal_hold
                )
            return read_rows(lc, actor)

        self.save_button.setEnabled(False)
        self.run(
            Lane.DB,
            op,
            key="save",
            on_done=self._on_saved,
            on_failed=self.message.show_error,
            on_finally=lambda: self.save_button.setEnabled(True),
        )

    def _on_saved(self, rows: list[RetentionRow]) -> None:
        self._show(rows)
        self.message.show_info(self.tr("Retention saved. Purge to apply it now."))

    def _on_purge_clicked(self) -> None:
        answer = ask(
            self,
            self.tr("Purge expired conversations?"),
            self.tr(
                "Conversations and log entries older than each app's retention are deleted "
                "for good (apps under a legal hold are skipped). This cannot be undone."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        actor = self.actor()
        self.purge_button.setEnabled(False)
        self.purge_result.clear()
        self.run(
            Lane.DB,
            lambda lc: lc.ws.logs.purge(actor),
            key="purge",
            on_done=self._on_purged,
            on_failed=self.message.show_error,
            on_finally=lambda: self.purge_button.setEnabled(True),
        )

    def _on_purged(self, summary: dict[str, Any]) -> None:
        searches = int(summary.get("searches", 0))
        app_events = int(summary["events"]) - searches  # ``events`` counts the searches too
        if not summary["apps"] and not searches:
            self.purge_result.setText(self.tr("Nothing had expired."))
            return
        parts: list[str] = []
        if summary["apps"]:
            parts.append(
                self.tr(
                    "Purged {turns} turns, {conversations} conversations and {events} log "
                    "entries from {apps}."
                ).format(
                    turns=summary["turns"],
                    conversations=summary["conversations"],
                    events=app_events,
                    apps=", ".join(summary["apps"]),
                )
            )
        if searches:
            parts.append(
                self.tr("Emptied {searches} knowledge-base searches.").format(searches=searches)
            )
        self.purge_result.setText(" ".join(parts))
