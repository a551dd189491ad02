"""Backups (Owner): back up now into a folder, with progress and the last backup's line,
and a schedule (off, daily, weekly; keep the last N) that runs while Kura is open."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QSpinBox, QWidget

from desktop.core.services.backup_schedule import KEEP_MAX, Schedule
from desktop.core.services.backups import BackupResult
from desktop.ui import file_dialogs
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.settings.common import (
    ElidedLabel,
    SettingsPage,
    form,
    group,
    hint,
    human_size,
    value_label,
)
from desktop.ui.tasks import Lane, LaneContext
from desktop.ui.widgets import primary_button

# How often a running Kura checks whether a scheduled backup is due.
CHECK_INTERVAL_MS = 15 * 60 * 1000
_STEPS = ("checking", "snapshot", "sealing")


class BackupsPage(SettingsPage):
    key = "backups"

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._folder = ""
        self._busy = False
        self._torn_down = False
        self.body.addWidget(
            hint(
                self.tr(
                    "A backup holds the whole workspace, encrypted under a key of its own and "
                    "signed by the workspace. The recovery key the workspace has when the "
                    "backup is made opens it (kura restore). Keep backups on another disk."
                ),
                self,
            )
        )
        self.message = InlineMessage(self)
        self.body.addWidget(self.message)
        self._build_now()
        self._build_schedule()
        self.finish()
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.timer.start()

    def title(self) -> str:
        return self.tr("Backups")

    def _build_now(self) -> None:
        box, layout = group(self.tr("Back up now"), self)
        fields = form(layout)
        self.folder_label = ElidedLabel("backupFolderLabel", box)
        choose = QPushButton(self.tr("Choose folder…"), box)
        choose.setObjectName("chooseBackupFolderButton")
        choose.clicked.connect(self._on_choose_clicked)
        row = QHBoxLayout()
        row.addWidget(self.folder_label, 1)
        row.addWidget(choose)
        fields.addRow(self.tr("Folder"), row)
        self.last_label = value_label("lastBackupLabel", box, wrap=True)
        fields.addRow(self.tr("Last backup"), self.last_label)
        self.progress_label = value_label("backupProgressLabel", box)
        self.now_button = primary_button(self.tr("Back up now"), "backupNowButton", box)
        self.now_button.clicked.connect(self._on_now_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.now_button)
        buttons.addWidget(self.progress_label, 1)
        layout.addLayout(buttons)
        self.body.addWidget(box)

    def _build_schedule(self) -> None:
        box, layout = group(self.tr("Schedule"), self)
        fields = form(layout)
        self.every = QComboBox(box)
        self.every.setObjectName("backupEveryCombo")
        for label, value in (
            (self.tr("Off"), "off"),
            (self.tr("Daily"), "daily"),
            (self.tr("Weekly"), "weekly"),
        ):
            self.every.addItem(label, value)
        fields.addRow(self.tr("Back up"), self.every)
        self.keep = QSpinBox(box)
        self.keep.setObjectName("backupKeepSpin")
        self.keep.setRange(1, KEEP_MAX)
        fields.addRow(self.tr("Keep the last"), self.keep)
        layout.addWidget(
            hint(
                self.tr(
                    "Scheduled backups go to the folder above while Kura is open; older "
                    "scheduled backups in that folder beyond the number kept are deleted."
                ),
                box,
            )
        )
        save = primary_button(self.tr("Save schedule"), "saveBackupScheduleButton", box)
        save.clicked.connect(self._on_save_clicked)
        row = QHBoxLayout()
        row.addWidget(save)
        row.addStretch(1)
        layout.addLayout(row)
        self.body.addWidget(box)

    # ---- loading ----------------------------------------------------------------------

    def activate(self) -> None:
        actor = self.actor()

        def op(lc: LaneContext) -> tuple[Schedule, dict[str, Any] | None]:
            return lc.ws.backup_schedule.get(actor), lc.ws.backups.last_backup(actor)

        self.run(Lane.DB, op, key="load", on_done=self._show, on_failed=self.message.show_error)

    def _show(self, loaded: tuple[Schedule, dict[str, Any] | None]) -> None:
        schedule, last = loaded
        self._set_folder(schedule.folder)
        self.every.setCurrentIndex(max(0, self.every.findData(schedule.every)))
        self.keep.setValue(schedule.keep)
        self._show_last(last)
        if schedule.every != "off":
            self._on_timer_timeout()  # a backup missed while Kura was closed

    def _show_last(self, last: dict[str, Any] | None) -> None:
        if not last:
            self.last_label.setText(self.tr("No backup yet."))
            return
        self.last_label.setText(
            self.tr("{at} — {file} ({size})").format(
                at=str(last.get("at", ""))[:16].replace("T", " ") + " UTC",
                file=last.get("file", ""),
                size=human_size(int(last.get("size", 0))),
            )
        )

    def _set_folder(self, folder: str) -> None:
        self._folder = folder
        self.folder_label.set_full_text(folder or self.tr("No folder chosen."))

    # ---- backing up -------------------------------------------------------------------

    def _on_choose_clicked(self) -> None:
        chosen = file_dialogs.folder(self, self.tr("Folder for backups"), self._folder)
        if chosen:
            self._set_folder(chosen)

    def _step_text(self, step: str) -> str:
        texts = {
            "checking": self.tr("Checking the database and the audit log…"),
            "snapshot": self.tr("Exporting an encrypted snapshot…"),
            "sealing": self.tr("Signing and writing the file…"),
        }
        return texts.get(step, "")

    def _on_now_clicked(self) -> None:
        if not self._folder:
            self.message.show_error(self.tr("Choose a folder for backups first."))
            return
        self._start(scheduled=False)

    def _on_timer_timeout(self) -> None:
        if self._torn_down or self._busy:
            return
        if self.every.currentData() not in (None, "off"):
            self._start(scheduled=True)

    def _start(self, *, scheduled: bool) -> None:
        actor, folder = self.actor(), Path(self._folder)

        def op(lc: LaneContext) -> BackupResult | None:
            def step(name: str) -> None:
                lc.progress(_STEPS.index(name) if name in _STEPS else 0, len(_STEPS), name)

            if scheduled:
                return lc.ws.backup_schedule.run_if_due(actor, step)
            return lc.ws.backup_schedule.back_up_now(actor, folder, step)

        self._busy = True
        self.now_button.setEnabled(False)
        self.message.clear_message()
        self.run(
            Lane.DB,
            op,
            key="backup",
            on_done=self._on_backed_up,
            on_failed=self.message.show_error,
            on_progress=lambda _done, _total, step: self.progress_label.setText(
                self._step_text(str(step))
            ),
            on_finally=self._on_finished,
        )

    def _on_backed_up(self, result: BackupResult | None) -> None:
        if result is None:
            return  # a scheduled check: nothing was due
        self._show_last({"at": result.created_at, "file": result.path.name, "size": result.size})
        self.message.show_info(self.tr("Backed up to {path}.").format(path=str(result.path)))

    def _on_finished(self) -> None:
        self._busy = False
        self.now_button.setEnabled(True)
        self.progress_label.setText("")

    def _on_save_clicked(self) -> None:
        actor = self.actor()
        folder, every, keep = self._folder, str(self.every.currentData()), self.keep.value()
        self.run(
            Lane.DB,
            lambda lc: lc.ws.backup_schedule.set(actor, folder, every, keep),
            key="save",
            on_done=lambda _: self.message.show_info(self.tr("Schedule saved.")),
            on_failed=self.message.show_error,
        )

    def teardown(self) -> None:
        self._torn_down = True  # a timer tick after this starts nothing
        with contextlib.suppress(RuntimeError):  # the page (and its timer) may be gone
            self.timer.stop()
        super().teardown()
