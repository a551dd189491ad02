"""``kura init | doctor | recover | rekey`` and ``kura users ...``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop import app
from desktop.cli.io import (
    Phrase,
    StdinLines,
    common,
    data_dir,
    emit,
    open_workspace,
    secret,
    sign_in,
)
from desktop.core.errors import InputError


def _recovery_text(recovery_key: str, verb: str, folder: Path) -> str:
    return (
        f"Workspace {verb} in {folder}.\n\n"
        "RECOVERY KEY (shown once; store it offline, e.g. printed in a safe):\n\n"
        f"    {recovery_key}\n\n"
        "It opens the workspace when the OS keyring item is lost. Kura cannot show it again."
    )


def cmd_init(args: argparse.Namespace) -> int:
    password = secret(args, Phrase("cli.what.new_owner_password"), StdinLines())
    result = app.init_workspace(
        data_dir(args), args.owner, password, key_store=app.default_key_store()
    )
    document = {
        "workspace_id": result.workspace_id,
        "data_dir": str(result.data_dir),
        "recovery_key": result.recovery_key,
    }
    emit(args, document, _recovery_text(result.recovery_key, "created", result.data_dir))
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from desktop.diagnostics.doctor import run_doctor

    who, code = None, None
    lines_in = StdinLines()
    if args.user:  # strict unlock mode: the checks that read the database need a sign-in
        who = (
            args.user,
            secret(args, Phrase("cli.what.password_for", {"user": args.user}), lines_in),
        )
        user = args.user

        def code() -> str:  # asked only when the account has a one-time code
            return secret(args, Phrase("cli.what.code_for", {"user": user}), lines_in)

    report = run_doctor(data_dir(args), credentials=who, code=code)
    lines = [f"Kura {report['kura_version']} on Python {report['python']}"]
    for check in report["checks"]:
        mark = "ok" if check["ok"] else "FAIL"
        if check.get("slots") == "not_checked":
            mark = "not checked"
        lines.append(f"  [{mark}] {check['name']}: {check['detail']}")
    emit(args, report, "\n".join(lines))
    return 0 if report["ok"] else 1


def cmd_recover(args: argparse.Namespace) -> int:
    if not args.recovery_key_stdin:
        raise InputError("cli.recovery_key_stdin_required")
    recovery_key = StdinLines().read(Phrase("cli.what.recovery_key"))
    key_store = app.default_key_store()
    strict = app.unlock_mode(data_dir(args), key_store=key_store) == "strict"
    with app.recover_workspace(data_dir(args), recovery_key, key_store=key_store):
        backend = key_store.backend_name()
    text = f"Recovered: a new keyring item ({backend}) opens the workspace again."
    if strict:
        text += (
            "\nStrict unlock is now off; the Owner can turn it on again with "
            "`kura policy set strict-unlock on`."
        )
    emit(args, {"recovered": True, "keyring_backend": backend, "strict_off": strict}, text)
    return 0


def cmd_rekey(args: argparse.Namespace) -> int:
    lines = StdinLines()
    with open_workspace(args) as ws:
        actor = sign_in(ws, args, lines)
        result = ws.workspace.rekey(actor)
        emit(
            args,
            {"rekeyed": True, "recovery_key": result.recovery_key},
            _recovery_text(result.recovery_key, "re-keyed", ws.layout.data_dir)
            + "\nThe old recovery key and the old database key no longer open anything.",
        )
        sys.stdout.flush()
        ws.workspace.recovery_key_shown(actor)  # only now is it safe to clear the warning
    return 0


def register(sub: Any) -> None:
    """Add the workspace and account commands to the top-level subparsers."""
    p = sub.add_parser("init", help="create a workspace and its Owner; prints the recovery key")
    p.add_argument("--owner", required=True, help="the Owner's user name")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    common(p)
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("doctor", help="check SQLCipher, the keyring, the workspace, the chain")
    common(p, user=True)
    p.set_defaults(handler=cmd_doctor)

    p = sub.add_parser("recover", help="re-create the keyring item from the recovery key")
    p.add_argument("--recovery-key-stdin", action="store_true", help="read it from stdin")
    common(p)
    p.set_defaults(handler=cmd_recover)

    p = sub.add_parser("rekey", help="rotate the database key (Owner); prints a new recovery key")
    common(p, user=True)
    p.set_defaults(handler=cmd_rekey)
