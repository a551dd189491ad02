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


def _backup(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    result = ws.backups.backup(
        actor,
        Path(args.out),
        escrow=args.escrow or [],
        progress=lambda step: note(say(f"backup.step.{step}")),
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
    text = (
        f"Backed up to {result.path} ({result.size} bytes, SHA-256 {result.sha256}).\n"
        "It opens with the workspace's current recovery key"
        + (f" or the identity of {result.escrow} escrow recipient(s)." if result.escrow else ".")
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
    text = (
        f"Restored workspace {result.workspace_id} (backup of {result.backup_created_at}) "
        f"in {result.data_dir}.\n"
        + (f"What was there before is now in {result.moved_aside}.\n" if result.moved_aside else "")
        + "\nNEW RECOVERY KEY (shown once; store it offline, e.g. printed in a safe):\n\n"
        f"    {result.recovery_key}\n\n"
        "The recovery key of the backup does not open the restored workspace."
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
