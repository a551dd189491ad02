"""``kura users ...`` and ``kura policy ...``: accounts, TOTP, ownership, policies."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.io import StdinLines, common, emit, open_workspace, secret, sign_in
from desktop.core.models import Role, UserStatus
from desktop.core.workspace_policy import parse_policy


def _new_password(args: argparse.Namespace, lines: StdinLines, target: str) -> str:
    what = f"the new password for {target}"
    return lines.read(what + " (next line)") if args.password_stdin else secret(args, what, lines)


def cmd_users(args: argparse.Namespace) -> int:
    lines = StdinLines()
    with open_workspace(args) as ws:
        actor = sign_in(ws, args, lines)
        action = args.users_cmd
        if action == "list":
            users = [u.public_dict() for u in ws.accounts.list_users(actor)]
            table = "\n".join(f"{u['username']:<24} {u['role']:<8} {u['status']}" for u in users)
            emit(args, {"users": users}, table)
            return 0
        if action == "requests":
            requests = ws.accounts.role_requests(actor)
            table = "\n".join(
                f"{r['user']:<24} {r['from']} -> {r['to']} (asked by {r['requested_by']})"
                for r in requests
            )
            emit(args, {"requests": requests}, table or "No role changes are pending.")
            return 0
        target = args.name
        if action == "add":
            password = _new_password(args, lines, target)
            ws.accounts.add_user(actor, target, Role(args.role), password, args.display_name)
            text = f"Added {target} ({args.role})."
        elif action == "reset-password":
            ws.accounts.reset_password(actor, target, _new_password(args, lines, target))
            text = f"Password of {target} reset."
        elif action == "set-role":
            ws.accounts.set_role(actor, target, Role(args.role))
            pending = any(r["user"] == target for r in ws.accounts.role_requests(actor))
            text = (
                f"{target}: {args.role} requested; it takes effect when the Owner approves "
                f"(`kura users approve {target}`)."
                if pending
                else f"{target} is now {args.role}."
            )
        elif action in ("approve", "reject"):
            ws.accounts.decide_role(actor, target, approve=action == "approve")
            text = f"Role change of {target} {action}d."
        elif action == "transfer-ownership":
            ws.accounts.transfer_ownership(actor, target)
            text = f"{target} is now the Owner; you are an Admin."
        elif action == "unlock":
            ws.accounts.unlock(actor, target)
            text = f"Sign-in for {target} unlocked."
        else:
            status = UserStatus.DISABLED if action == "disable" else UserStatus.ACTIVE
            ws.accounts.set_status(actor, target, status)
            text = f"{target} {action}d."
    emit(args, {"ok": True, "user": target}, text)
    return 0


def cmd_totp(args: argparse.Namespace) -> int:
    lines = StdinLines()
    with open_workspace(args) as ws:
        actor = sign_in(ws, args, lines)
        action = args.totp_cmd
        if action == "enroll":
            enrollment = ws.totp.begin(actor)
            document: dict[str, Any] = {"secret": enrollment.secret, "uri": enrollment.uri}
            text = (
                f"{enrollment.qr_text}\nScan this code with an authenticator app, or type "
                f"the key:\n  {enrollment.secret}\nThen confirm with "
                f"`kura users totp confirm CODE --user {actor.username}`."
            )
        elif action == "confirm":
            codes = ws.totp.confirm(actor, args.code)
            document = {"recovery_codes": codes}
            text = (
                "One-time codes are on. Recovery codes (each works once in place of a code; "
                "keep them somewhere safe, they are not shown again):\n  " + "\n  ".join(codes)
            )
        elif action == "status":
            document = ws.totp.status(actor)
            text = (
                f"TOTP {'on' if document['enabled'] else 'off'}; "
                f"{document['recovery_codes_left']} recovery codes left"
            )
        else:
            target = args.name or actor.username
            ws.totp.reset(actor, target)
            document = {"ok": True, "user": target}
            text = f"One-time codes of {target} removed."
    emit(args, document, text)
    return 0


def cmd_policy(args: argparse.Namespace) -> int:
    lines = StdinLines()
    with open_workspace(args) as ws:
        actor = sign_in(ws, args, lines)
        if args.policy_cmd == "set":
            ws.policies.set(actor, parse_policy(args.name), args.value == "on")
        policies = ws.policies.list(actor)
    table = "\n".join(
        f"{p['name']:<26} {'on ' if p['on'] else 'off'}  {p['description']}" for p in policies
    )
    emit(args, {"policies": policies}, table)
    return 0


def register(sub: Any) -> None:
    """Add ``users`` and ``policy`` to the top-level subparsers."""
    users = sub.add_parser("users", help="manage accounts")
    usub = users.add_subparsers(dest="users_cmd", metavar="ACTION", required=True)
    roles = [r.value for r in Role if r is not Role.OWNER]
    for action, helptext in (
        ("list", "list accounts"),
        ("requests", "role changes waiting for the Owner's approval"),
    ):
        p = usub.add_parser(action, help=helptext)
        common(p, user=True)
    for action, helptext in (
        ("add", "add an account (stdin: your password, then theirs)"),
        ("set-role", "change an account's role"),
    ):
        p = usub.add_parser(action, help=helptext)
        p.add_argument("name")
        p.add_argument("--role", required=True, choices=roles)
        if action == "add":
            p.add_argument("--display-name", help="the name shown in the app (default: NAME)")
        common(p, user=True)
    for action, helptext in (
        ("disable", "disable an account"),
        ("enable", "enable an account"),
        ("reset-password", "set a password (stdin: yours, then the new one)"),
        ("approve", "approve a pending role change (Owner)"),
        ("reject", "reject a pending role change (Owner)"),
        ("transfer-ownership", "make another user the Owner; you become an Admin"),
        ("unlock", "clear the sign-in lock after failed attempts"),
    ):
        p = usub.add_parser(action, help=helptext)
        p.add_argument("name")
        common(p, user=True)
    users.set_defaults(handler=cmd_users)

    totp = usub.add_parser("totp", help="one-time codes (TOTP) for signing in")
    tsub = totp.add_subparsers(dest="totp_cmd", metavar="ACTION", required=True)
    p = tsub.add_parser("enroll", help="make a secret and show its QR code")
    common(p, user=True)
    p = tsub.add_parser("confirm", help="turn one-time codes on with a current code")
    p.add_argument("code")
    common(p, user=True)
    p = tsub.add_parser("status", help="whether one-time codes are on")
    common(p, user=True)
    p = tsub.add_parser("reset", help="remove one-time codes (yours, or a user's lost device)")
    p.add_argument("name", nargs="?")
    common(p, user=True)
    totp.set_defaults(handler=cmd_totp)

    policy = sub.add_parser("policy", help="workspace security policies")
    psub = policy.add_subparsers(dest="policy_cmd", metavar="ACTION", required=True)
    p = psub.add_parser("list", help="show the policies")
    common(p, user=True)
    p = psub.add_parser("set", help="switch a policy on or off (Owner)")
    p.add_argument("name", help="require-totp-for-admins or role-approval")
    p.add_argument("value", choices=["on", "off"])
    common(p, user=True)
    policy.set_defaults(handler=cmd_policy)
