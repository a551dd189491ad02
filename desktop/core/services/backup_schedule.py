"""Scheduled backups (Settings → Backups): where, how often, how many to keep.

The schedule lives in the settings table (``backup.schedule``, JSON); changing it is
audited. While Kura runs, the GUI asks :meth:`BackupSchedule.run_if_due` now and then;
when the last backup is older than the interval, it writes ``kura-backup-<UTC time>.kbak``
into the folder (through :class:`BackupService`, so it is checked, signed and audited
like any other) and then deletes the oldest of that folder's scheduled backups beyond
the number to keep (only files with that name pattern; the deletion is audited).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from desktop.core import rbac
from desktop.core.audit_actions import AuditAction
from desktop.core.clock import Clock
from desktop.core.errors import InputError
from desktop.core.models import Actor
from desktop.core.ports import Store
from desktop.core.services.backups import BackupResult, BackupService, Progress
from desktop.core.services.base import AuditedService

SCHEDULE = "backup.schedule"
EVERY = {"off": None, "daily": timedelta(days=1), "weekly": timedelta(days=7)}
KEEP_MAX = 365
_NAME = re.compile(r"kura-backup-\d{8}T\d{6}Z\.kbak\Z")


@dataclass(frozen=True, slots=True)
class Schedule:
    folder: str = ""
    every: str = "off"
    keep: int = 7


class BackupSchedule(AuditedService):
    def __init__(self, store: Store, backups: BackupService, clock: Clock) -> None:
        super().__init__(store)
        self._backups = backups
        self._clock = clock

    def get(self, actor: Actor) -> Schedule:
        with self._op(actor, rbac.Permission.MANAGE_BACKUPS) as op:
            raw = op.tx.settings.get(SCHEDULE)
        return _parse(raw)

    def set(self, actor: Actor, folder: str, every: str, keep: int) -> Schedule:
        """Store the schedule (Owner); InputError for an unknown interval, a keep count
        out of 1..365, or, when on, a folder that does not exist."""
        if every not in EVERY:
            raise InputError("backup.schedule_every_invalid", every=every)
        if not 1 <= keep <= KEEP_MAX:
            raise InputError("backup.schedule_keep_invalid", keep=keep, most=KEEP_MAX)
        if every != "off" and not Path(folder).is_dir():
            raise InputError("backup.folder_missing", folder=folder)
        schedule = Schedule(folder, every, keep)
        with self._op(actor, rbac.Permission.MANAGE_BACKUPS, "backup.schedule") as op:
            op.tx.settings.set(SCHEDULE, json.dumps(asdict(schedule), sort_keys=True))
            op.audit(AuditAction.BACKUP_SCHEDULE_CHANGED, "backup.schedule", asdict(schedule))
        return schedule

    def due(self, actor: Actor) -> bool:
        schedule = self.get(actor)
        interval = EVERY.get(schedule.every)
        if interval is None or not schedule.folder:
            return False
        last = self._backups.last_backup(actor)
        if not last:
            return True
        at = datetime.fromisoformat(str(last["at"]).replace("Z", "+00:00"))
        return self._clock.now() >= at + interval

    def run_if_due(self, actor: Actor, progress: Progress | None = None) -> BackupResult | None:
        """Back up into the schedule's folder when it is due, then keep the last N."""
        if not self.due(actor):
            return None
        schedule = self.get(actor)
        result = self.back_up_now(actor, Path(schedule.folder), progress)
        self._prune(actor, Path(schedule.folder), schedule.keep)
        return result

    def back_up_now(
        self, actor: Actor, folder: Path, progress: Progress | None = None
    ) -> BackupResult:
        """A backup named ``kura-backup-<UTC time>.kbak`` in ``folder`` (Owner)."""
        name = f"kura-backup-{self._clock.now().strftime('%Y%m%dT%H%M%SZ')}.kbak"
        return self._backups.backup(actor, folder / name, progress=progress)

    def _prune(self, actor: Actor, folder: Path, keep: int) -> None:
        made = sorted(p for p in folder.iterdir() if _NAME.match(p.name) and p.is_file())
        extra = made[: max(0, len(made) - keep)]
        if not extra:
            return
        with self._op(actor, rbac.Permission.MANAGE_BACKUPS, "backup.pruned") as op:
            for path in extra:
                path.unlink(missing_ok=True)
            op.audit(
                AuditAction.BACKUP_PRUNED,
                f"folder:{folder}",
                {"deleted": [p.name for p in extra], "kept": keep},
            )


def _parse(raw: str | None) -> Schedule:
    try:
        value: Any = json.loads(raw) if raw else {}
    except ValueError:
        value = {}
    if not isinstance(value, dict):
        return Schedule()
    every = value.get("every") if value.get("every") in EVERY else "off"
    keep = value.get("keep")
    return Schedule(
        str(value.get("folder") or ""), str(every), keep if isinstance(keep, int) else 7
    )
