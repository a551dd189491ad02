"""``kura backup`` and ``kura restore``: encrypted, signed backups of the whole workspace."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop import app, backups
from desktop.cli.io import (
    Phrase,
    StdinLines,
    as_user,
    common,
    data_dir,
    emit,
    note,
    say,
)
from desktop.core.errors import InputError
from desktop.core.models import Actor

#: What the CLI says at each step a backup reports.
_STEPS = {
    "checking": lambda: say("backup.step.checking"),
    "snapshot": lambda: say("backup.step.snapshot"),
    "sealing": lambda: say("backup.step.sealing"),
}


def _backup(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    result = ws.backups.backup(
        actor,
        Path(args.out),
        escrow=args.escrow or [],
        progress=lambda step: note(_STEPS[step]()),
    )
    document = {
        "path": str(result.path),
        "backup_id": result.backup_id,
        "sha256": result.sha256,
        "size": result.size,
        "created_at": result.created_at,
        "audit_seq": result.audit_seq,
        "escrow_recipients": result.escrow,
    }
    escrow = say("backup.cli.escrow", count=result.escrow) if result.escrow else ""
    text = say(
        "backup.cli.done",
        path=result.path,
        size=result.size,
        sha256=result.sha256,
        escrow=escrow,
    )
    return document, text


def cmd_restore(args: argparse.Namespace) -> int:
    recovery_key = None
    if args.recovery_key_stdin:
        recovery_key = StdinLines().read(Phrase("cli.what.recovery_key"))
    identity = Path(args.identity) if args.identity else None
    if recovery_key is None and identity is None:
        raise InputError("backup.key_source_required")
    target = data_dir(args)
    result = backups.restore_workspace(
        Path(args.file),
        target,
        key_store=app.default_key_store(),
        recovery_key=recovery_key,
        identity=identity,
        move_aside=args.move_aside,
    )
    document = {
        "workspace_id": result.workspace_id,
        "data_dir": str(result.data_dir),
        "recovery_key": result.recovery_key,
        "backup_id": result.backup_id,
        "backup_created_at": result.backup_created_at,
        "audit_head": result.audit_head,
        "moved_aside": str(result.moved_aside) if result.moved_aside else None,
    }
    aside = (
        say("backup.cli.moved_aside", path=result.moved_aside) + "\n" if result.moved_aside else ""
    )
    text = (
        say(
            "backup.cli.restored",
            workspace_id=result.workspace_id,
            created_at=result.backup_created_at,
            data_dir=result.data_dir,
        )
        + "\n"
        + aside
        + "\n"
        + say("backup.cli.new_recovery_key")
        + f"\n\n    {result.recovery_key}\n\n"
        + say("backup.cli.old_key_void")
    )
    emit(args, document, text)
    sys.stdout.flush()
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "backup", help="write an encrypted, signed backup of the whole workspace (Owner)"
    )
    p.add_argument("--out", required=True, metavar="FILE", help="the backup file to create")
    p.add_argument(
        "--escrow",
        action="append",
        metavar="AGE_PUBKEY",
        help="also let this age X25519 recipient (age1...) open the backup (repeatable)",
    )
    common(p, user=True)
    p.set_defaults(handler=as_user(_backup))

    p = sub.add_parser("restore", help="verify a backup and install its workspace with new keys")
    p.add_argument("file", metavar="FILE", help="the backup file")
    p.add_argument(
        "--recovery-key-stdin",
        action="store_true",
        help="read the recovery key the workspace had at backup time from stdin",
    )
    p.add_argument("--identity", metavar="FILE", help="an age identity file of an escrow recipient")
    p.add_argument(
        "--move-aside",
        action="store_true",
        help="move what is in the data directory aside (renamed, kept) instead of refusing",
    )
    common(p)
    p.set_defaults(handler=cmd_restore)
