"""``kura users ...`` and ``kura policy ...``: accounts, TOTP, ownership, policies."""

from __future__ import annotations

import argparse
from typing import Any

from desktop import app
from desktop.cli.io import Phrase, StdinLines, as_user, common, say, secret
from desktop.core.models import Actor, Role, UserStatus
from desktop.core.workspace_policy import Policy, parse_policy

Result = tuple[dict[str, Any], str]


def _new_password(args: argparse.Namespace, lines: StdinLines, target: str) -> str:
    if args.password_stdin:
        return lines.read(Phrase("cli.what.new_password_for_next_line", {"user": target}))
    return secret(args, Phrase("cli.what.new_password_for", {"user": target}), lines)


def _done(target: str, text: str, *, rekey_recommended: bool = False) -> Result:
    """What every ``kura users ACTION NAME`` prints (strict mode: plus the advice to
    rekey when a saved keyslots.json still opens with the old password)."""
    if not rekey_recommended:
        return {"ok": True, "user": target}, text
    note = say("workspace.strict_rekey_recommended")
    return {"ok": True, "user": target, "rekey_recommended": True}, f"{text}\n{note}"


# ---- kura users ...


def _users_list(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> Result:
    users = [u.public_dict() for u in ws.accounts.list_users(actor)]
    table = "\n".join(f"{u['username']:<24} {u['role']:<8} {u['status']}" for u in users)
    return {"users": users}, table


def _users_requests(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> Result:
    requests = ws.accounts.role_requests(actor)
    table = "\n".join(
        f"{r['user']:<24} {r['from']} -> {r['to']} (asked by {r['requested_by']})" for r in requests
    )
    return {"requests": requests}, table or "No role changes are pending."


def _users_add(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> Result:
    password = _new_password(args, lines, args.name)
    ws.accounts.add_user(actor, args.name, Role(args.role), password, args.display_name)
    return _done(args.name, f"Added {args.name} ({args.role}).")


def _users_reset_password(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> Result:
    advice = ws.accounts.reset_password(actor, args.name, _new_password(args, lines, args.name))
    return _done(args.name, f"Password of {args.name} reset.", rekey_recommended=advice)


def _users_set_role(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> Result:
    target = args.name
    ws.accounts.set_role(actor, target, Role(args.role))
    pending = any(r["user"] == target for r in ws.accounts.role_requests(actor))
    text = (
        f"{target}: {args.role} requested; it takes effect when the Owner approves "
        f"(`kura users approve {target}`)."
        if pending
        else f"{target} is now {args.role}."
    )
    return _done(target, text)


def _users_approve(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> Result:
    ws.accounts.decide_role(actor, args.name, approve=True)
    return _done(args.name, f"Role change of {args.name} approved.")


def _users_reject(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> Result:
    ws.accounts.decide_role(actor, args.name, approve=False)
    return _done(args.name, f"Role change of {args.name} rejected.")


def _users_transfer_ownership(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> Result:
    ws.accounts.transfer_ownership(actor, args.name)
    return _done(args.name, f"{args.name} is now the Owner; you are an Admin.")


def _users_unlock(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> Result:
    ws.accounts.unlock(actor, args.name)
    return _done(args.name, f"Sign-in for {args.name} unlocked.")


def _users_disable(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> Result:
    advice = ws.accounts.set_status(actor, args.name, UserStatus.DISABLED)
    return _done(args.name, f"{args.name} disabled.", rekey_recommended=advice)


def _users_enable(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> Result:
    ws.accounts.set_status(actor, args.name, UserStatus.ACTIVE)
    return _done(args.name, f"{args.name} enabled.")


# ---- kura users totp ...


def _totp_enroll(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> Result:
    enrollment = ws.totp.begin(actor)
    text = (
        f"{enrollment.qr_text}\nScan this code with an authenticator app, or type "
        f"the key:\n  {enrollment.secret}\nThen confirm with "
        f"`kura users totp confirm CODE --user {actor.username}`."
    )
    return {"secret": enrollment.secret, "uri": enrollment.uri}, text


def _totp_confirm(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> Result:
    codes = ws.totp.confirm(actor, args.code)
    text = (
        "One-time codes are on. Recovery codes (each works once in place of a code; "
        "keep them somewhere safe, they are not shown again):\n  " + "\n  ".join(codes)
    )
    return {"recovery_codes": codes}, text


def _totp_status(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> Result:
    document: dict[str, Any] = ws.totp.status(actor)
    text = (
        f"TOTP {'on' if document['enabled'] else 'off'}; "
        f"{document['recovery_codes_left']} recovery codes left"
    )
    return document, text


def _totp_reset(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> Result:
    target = args.name or actor.username
    ws.totp.reset(actor, target)
    return {"ok": True, "user": target}, f"One-time codes of {target} removed."


# ---- kura policy ...


def _policies(ws: app.Workspace, actor: Actor) -> Result:
    policies = ws.policies.list(actor)
    table = "\n".join(
        f"{p['name']:<26} {'on ' if p['on'] else 'off'}  {p['description']}" for p in policies
    )
    return {"policies": policies}, table


def _policy_list(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> Result:
    return _policies(ws, actor)


def _policy_set(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> Result:
    password = getattr(args, "kura_password", None)  # strict-unlock on wraps a slot in it
    policy, on = parse_policy(args.name), args.value == "on"
    rotated = ws.policies.set(actor, policy, on, password=password)
    document, text = _policies(ws, actor)
    if rotated is not None:  # strict mode on rotated the database key
        document["recovery_key"] = rotated.recovery_key
        text += (
            "\n\nThe database is under a new key; the old recovery key opens nothing.\n"
            "NEW RECOVERY KEY (shown once; store it offline):\n\n"
            f"    {rotated.recovery_key}\n"
        )
        # printed right after this returns, in this process (`kura rekey` prints first;
        # here the Owner's session must stay the one that turned strict mode on)
        ws.workspace.recovery_key_shown(actor)
    if policy is Policy.STRICT_UNLOCK and on:
        missing = ws.policies.users_without_slot(actor)
        document["users_without_slot"] = missing
        if missing:
            text += "\n" + say("workspace.strict_users_without_slot", users=", ".join(missing))
    return document, text


def register(sub: Any) -> None:
    """Add ``users`` and ``policy`` to the top-level subparsers."""
    users = sub.add_parser("users", help="manage accounts")
    usub = users.add_subparsers(dest="users_cmd", metavar="ACTION", required=True)
    roles = [r.value for r in Role if r is not Role.OWNER]
    for action, helptext, run in (
        ("list", "list accounts", _users_list),
        ("requests", "role changes waiting for the Owner's approval", _users_requests),
    ):
        p = usub.add_parser(action, help=helptext)
        common(p, user=True)
        p.set_defaults(handler=as_user(run))
    for action, helptext, run in (
        ("add", "add an account (stdin: your password, then theirs)", _users_add),
        ("set-role", "change an account's role", _users_set_role),
    ):
        p = usub.add_parser(action, help=helptext)
        p.add_argument("name")
        p.add_argument("--role", required=True, choices=roles)
        if action == "add":
            p.add_argument("--display-name", help="the name shown in the app (default: NAME)")
        common(p, user=True)
        p.set_defaults(handler=as_user(run))
    for action, helptext, run in (
        ("disable", "disable an account", _users_disable),
        ("enable", "enable an account", _users_enable),
        (
            "reset-password",
            "set a password (stdin: yours, then the new one)",
            _users_reset_password,
        ),
        ("approve", "approve a pending role change (Owner)", _users_approve),
        ("reject", "reject a pending role change (Owner)", _users_reject),
        (
            "transfer-ownership",
            "make another user the Owner; you become an Admin",
            _users_transfer_ownership,
        ),
        ("unlock", "clear the sign-in lock after failed attempts", _users_unlock),
    ):
        p = usub.add_parser(action, help=helptext)
        p.add_argument("name")
        common(p, user=True)
        p.set_defaults(handler=as_user(run))

    totp = usub.add_parser("totp", help="one-time codes (TOTP) for signing in")
    tsub = totp.add_subparsers(dest="totp_cmd", metavar="ACTION", required=True)
    p = tsub.add_parser("enroll", help="make a secret and show its QR code")
    common(p, user=True)
    p.set_defaults(handler=as_user(_totp_enroll))
    p = tsub.add_parser("confirm", help="turn one-time codes on with a current code")
    p.add_argument("code")
    common(p, user=True)
    p.set_defaults(handler=as_user(_totp_confirm))
    p = tsub.add_parser("status", help="whether one-time codes are on")
    common(p, user=True)
    p.set_defaults(handler=as_user(_totp_status))
    p = tsub.add_parser("reset", help="remove one-time codes (yours, or a user's lost device)")
    p.add_argument("name", nargs="?")
    common(p, user=True)
    p.set_defaults(handler=as_user(_totp_reset))

    policy = sub.add_parser("policy", help="workspace security policies")
    psub = policy.add_subparsers(dest="policy_cmd", metavar="ACTION", required=True)
    p = psub.add_parser("list", help="show the policies")
    common(p, user=True)
    p.set_defaults(handler=as_user(_policy_list))
    p = psub.add_parser("set", help="switch a policy on or off (Owner)")
    p.add_argument("name", help="require-totp-for-admins, role-approval or strict-unlock")
    p.add_argument("value", choices=["on", "off"])
    common(p, user=True)
    p.set_defaults(handler=as_user(_policy_set))
