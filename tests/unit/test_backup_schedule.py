"""Scheduled backups: stored and audited settings, due only after the interval, and
only the last N scheduled backups kept (nothing else in the folder is touched)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop import app
from desktop.core.errors import InputError, PermissionDenied
from desktop.core.models import Actor
from tests.fakes import FixedClock


def test_schedule_runs_when_due_and_keeps_the_last_n(
    ws: app.Workspace, people: dict[str, Actor], clock: FixedClock, tmp_path: Path
) -> None:
    owner = people["owner"]
    folder = tmp_path / "shelf"
    folder.mkdir()
    (folder / "notes.kbak").write_bytes(b"not one of ours")
    assert ws.backup_schedule.run_if_due(owner) is None  # off by default
    ws.backup_schedule.set(owner, str(folder), "daily", 2)
    made = []
    for _ in range(4):
        result = ws.backup_schedule.run_if_due(owner)
        assert result is not None
        made.append(result.path.name)
        assert ws.backup_schedule.run_if_due(owner) is None  # not due again the same day
        clock.advance(86401)
    assert sorted(p.name for p in folder.iterdir()) == sorted([*made[-2:], "notes.kbak"])
    with ws.store.transaction() as tx:
        actions = [e.action for e in tx.audit.iter_events()]
    assert actions.count("backup.created") == 4 and actions.count("backup.pruned") == 2
    assert "backup.schedule_changed" in actions
    assert ws.backups.last_backup(owner)["file"] == made[-1]


def test_schedule_input_and_role(
    ws: app.Workspace, people: dict[str, Actor], tmp_path: Path
) -> None:
    owner = people["owner"]
    with pytest.raises(InputError):
        ws.backup_schedule.set(owner, str(tmp_path), "hourly", 3)
    with pytest.raises(InputError):
        ws.backup_schedule.set(owner, str(tmp_path), "weekly", 0)
    with pytest.raises(InputError):
        ws.backup_schedule.set(owner, str(tmp_path / "missing"), "weekly", 3)
    with pytest.raises(PermissionDenied):
        ws.backup_schedule.set(people["ada"], str(tmp_path), "weekly", 3)
    assert ws.backup_schedule.get(owner).every == "off"
