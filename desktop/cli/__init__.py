"""The ``kura`` command line: parses, calls services, prints. Nothing else.

``--json`` prints one JSON document on stdout; messages and progress go to stderr.
Exit codes: 0 ok, 1 check failed, 2 usage or input error, 3 permission denied, 4 locked.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from desktop import __version__, app
from desktop.core.errors import EXIT_USAGE, AppError, InputError
from desktop.core.models import Actor, Role, UserStatus

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with a one-line message instead of a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"kura: error: {message} (see `{self.prog} --help`)\n")


# ---------------------------------------------------------------- input and output


class StdinLines:
    """Reads secrets line by line from standard input (``--password-stdin``)."""

    def __init__(self, stream: Any = None) -> None:
        self._stream = stream if stream is not None else sys.stdin

    def read(self, what: str) -> str:
        line = self._stream.readline()
        if not line:
            raise InputError(f"expected {what} on standard input, found nothing")
        return line.rstrip("\r\n")


def _secret(args: argparse.Namespace, what: str, lines: StdinLines) -> str:
    if getattr(args, "password_stdin", False):
        return lines.read(what)
    if not sys.stdin.isatty():
        raise InputError(f"no terminal to ask for {what}: pass --password-stdin")
    return getpass.getpass(f"{what}: ")


def _emit(args: argparse.Namespace, document: dict[str, Any], text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        print(text)


def _note(message: str) -> None:
    print(message, file=sys.stderr)


def _data_dir(args: argparse.Namespace) -> Path:
    return app.resolve_data_dir(args.data_dir)


def _open(args: argparse.Namespace) -> app.Workspace:
    return app.open_workspace(_data_dir(args), key_store=app.default_key_store())


def _sign_in(ws: app.Workspace, args: argparse.Namespace, lines: StdinLines) -> Actor:
    if not args.user:
        raise InputError("this command acts as a user: pass --user NAME")
    return ws.accounts.authenticate(args.user, _secret(args, f"password for {args.user}", lines))


# ---------------------------------------------------------------- commands


def cmd_init(args: argparse.Namespace) -> int:
    password = _secret(args, "new Owner password", StdinLines())
    result = app.init_workspace(
        _data_dir(args), args.owner, password, key_store=app.default_key_store()
    )
    document = {
        "workspace_id": result.workspace_id,
        "data_dir": str(result.data_dir),
        "recovery_key": result.recovery_key,
    }
    _emit(args, document, _recovery_text(result.recovery_key, "created", result.data_dir))
    return 0


def _recovery_text(recovery_key: str, verb: str, data_dir: Path) -> str:
    return (
        f"Workspace {verb} in {data_dir}.\n\n"
        f"RECOVERY KEY (shown once; store it offline, e.g. printed in a safe):\n\n"
        f"    {recovery_key}\n\n"
        "It opens the workspace when the OS keyring item is lost. Kura cannot show it again."
    )


def cmd_doctor(args: argparse.Namespace) -> int:
    from desktop.doctor import run_doctor

    report = run_doctor(_data_dir(args))
    lines = [f"Kura {report['kura_version']} on Python {report['python']}"]
    for check in report["checks"]:
        lines.append(f"  [{'ok' if check['ok'] else 'FAIL'}] {check['name']}: {check['detail']}")
    _emit(args, report, "\n".join(lines))
    return 0 if report["ok"] else 1


def cmd_recover(args: argparse.Namespace) -> int:
    if not args.recovery_key_stdin:
        raise InputError("pass --recovery-key-stdin and type the recovery key on standard input")
    recovery_key = StdinLines().read("the recovery key")
    key_store = app.default_key_store()
    with app.recover_workspace(_data_dir(args), recovery_key, key_store=key_store):
        backend = key_store.backend_name()
    _emit(
        args,
        {"recovered": True, "keyring_backend": backend},
        f"Recovered: a new keyring item ({backend}) opens the workspace again.",
    )
    return 0


def cmd_rekey(args: argparse.Namespace) -> int:
    lines = StdinLines()
    with _open(args) as ws:
        actor = _sign_in(ws, args, lines)
        result = ws.workspace.rekey(actor)
        data_dir = ws.layout.data_dir
    _emit(
        args,
        {"rekeyed": True, "recovery_key": result.recovery_key},
        _recovery_text(result.recovery_key, "re-keyed", data_dir)
        + "\nThe old recovery key and the old database key no longer open anything.",
    )
    return 0


def cmd_users(args: argparse.Namespace) -> int:
    lines = StdinLines()
    with _open(args) as ws:
        actor = _sign_in(ws, args, lines)
        if args.users_cmd == "list":
            users = [u.public_dict() for u in ws.accounts.list_users(actor)]
            table = "\n".join(f"{u['username']:<24} {u['role']:<8} {u['status']}" for u in users)
            _emit(args, {"users": users}, table)
            return 0
        target = args.name
        if args.users_cmd == "add":
            password = (
                lines.read(f"the new password for {target} (second line)")
                if args.password_stdin
                else _secret(args, f"new password for {target}", lines)
            )
            ws.accounts.add_user(actor, target, Role(args.role), password)
        elif args.users_cmd == "set-role":
            ws.accounts.set_role(actor, target, Role(args.role))
        elif args.users_cmd in ("disable", "enable"):
            status = UserStatus.DISABLED if args.users_cmd == "disable" else UserStatus.ACTIVE
            ws.accounts.set_status(actor, target, status)
        elif args.users_cmd == "reset-password":
            password = (
                lines.read(f"the new password for {target} (second line)")
                if args.password_stdin
                else _secret(args, f"new password for {target}", lines)
            )
            ws.accounts.reset_password(actor, target, password)
    _emit(args, {"ok": True, "user": target}, f"{args.users_cmd}: {target}: done")
    return 0


# ---------------------------------------------------------------- parser


def _common(p: argparse.ArgumentParser, *, user: bool = False) -> None:
    p.add_argument(
        "--data-dir", help="workspace folder (default: KURA_DATA_DIR or the user data dir)"
    )
    p.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    if user:
        p.add_argument("--user", help="act as this user")
        p.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password(s) from standard input, one per line",
        )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kura", description="Kura: encrypted, offline chat apps and knowledge bases."
    )
    parser.add_argument("--version", action="version", version=f"kura {__version__}")
    parser.add_argument("--debug", action="store_true", help="print tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser(
        "init", help="create a workspace and its Owner; prints the recovery key once"
    )
    p.add_argument("--owner", required=True, help="the Owner's user name")
    p.add_argument(
        "--password-stdin", action="store_true", help="read the Owner's password from stdin"
    )
    _common(p)
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser(
        "doctor", help="check SQLCipher, the keyring, the workspace and the audit chain"
    )
    _common(p)
    p.set_defaults(handler=cmd_doctor)

    p = sub.add_parser("recover", help="re-create the keyring item from the recovery key")
    p.add_argument(
        "--recovery-key-stdin", action="store_true", help="read the recovery key from stdin"
    )
    _common(p)
    p.set_defaults(handler=cmd_recover)

    p = sub.add_parser("rekey", help="rotate the database key (Owner); prints a new recovery key")
    _common(p, user=True)
    p.set_defaults(handler=cmd_rekey)

    users = sub.add_parser("users", help="manage accounts")
    usub = users.add_subparsers(
        dest="users_cmd", metavar="ACTION", required=True, parser_class=_Parser
    )
    p = usub.add_parser("list", help="list accounts")
    _common(p, user=True)
    p = usub.add_parser("add", help="add an account (stdin: your password, then theirs)")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=[r.value for r in Role if r is not Role.OWNER])
    _common(p, user=True)
    p = usub.add_parser("set-role", help="change an account's role")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=[r.value for r in Role if r is not Role.OWNER])
    _common(p, user=True)
    for action in ("disable", "enable"):
        p = usub.add_parser(action, help=f"{action} an account")
        p.add_argument("name")
        _common(p, user=True)
    p = usub.add_parser("reset-password", help="set a password (stdin: yours, then the new one)")
    p.add_argument("name")
    _common(p, user=True)
    users.set_defaults(handler=cmd_users)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    app.bootstrap()
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return handler(args)
    except AppError as exc:
        _note(f"kura: error: {exc.message}")
        return exc.exit_code
    except KeyboardInterrupt:
        _note("kura: interrupted")
        return 130
    except Exception:
        incident = uuid.uuid4().hex[:8]
        _note(f"kura: internal error (incident {incident}); rerun with --debug and report it")
        if args.debug:
            raise
        return 70


if __name__ == "__main__":
    sys.exit(main())
