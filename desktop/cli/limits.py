"""``kura limits``: usage limits of users, apps and models.

``set (--user U | --app A | --model M) [--tokens-per-day N] [--tokens-per-month N]
[--requests-per-minute N] [--concurrent N]`` sets the limits given (the Owner); ``clear``
with the same subject clears the limits named, or all of them; ``list`` (Owner and
Admins) prints each limit with what is used against it now. ``set`` and ``clear`` take
the acting user as ``--as``, since their ``--user`` names whose limits they are; ``list``
takes ``--user`` like every other command. A turn a limit refuses exits 5.
"""

from __future__ import annotations

import argparse
from typing import Any

from desktop import app
from desktop.cli.io import StdinLines, as_user, common, say
from desktop.core.limits import LimitKind, LimitScope, LimitUse, UsageLimits, shown_time
from desktop.core.messages import Term
from desktop.core.models import Actor

Result = tuple[dict[str, Any], str]


def _subject(args: argparse.Namespace) -> tuple[LimitScope, str]:
    for scope in LimitScope:
        name = getattr(args, f"for_{scope.value}")
        if name is not None:
            return scope, str(name)
    raise AssertionError("argparse requires one of --user, --app, --model")


def _values(args: argparse.Namespace) -> dict[LimitKind, int]:
    return {k: getattr(args, k.value) for k in LimitKind if getattr(args, k.value) is not None}


def _line(use: LimitUse) -> str:
    params: dict[str, Any] = {
        "scope": Term(f"limits.scope.{use.scope.value}"),
        "name": use.subject,
        "limit": Term(f"limits.kind.{use.kind.value}"),
        "allowed": f"{use.limit:,}",
        "used": f"{use.used:,}",
    }
    if use.resets_at is None:
        return say("limits.cli_row_concurrent", **params)
    return say("limits.cli_row", resets=shown_time(use.resets_at), **params)


def _shown(ws: app.Workspace, actor: Actor, limits: UsageLimits | None) -> str:
    if limits is None:
        return ""
    uses = [
        u for u in ws.limits.status(actor) if (u.scope, u.subject) == (limits.scope, limits.subject)
    ]
    return "\n".join(_line(u) for u in uses)


def _set(ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines) -> Result:
    scope, name = _subject(args)
    limits = ws.limits.set_limits(actor, scope, name, _values(args))
    return {"limits": limits.as_dict()}, _shown(ws, actor, limits)


def _clear(ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines) -> Result:
    scope, name = _subject(args)
    kinds = tuple(k for k in LimitKind if getattr(args, k.value))
    left = ws.limits.clear_limits(actor, scope, name, kinds)
    text = _shown(ws, actor, left) or say(
        "limits.cli_cleared", scope=Term(f"limits.scope.{scope.value}"), name=name
    )
    return {"limits": None if left is None else left.as_dict()}, text


def _list(ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines) -> Result:
    uses = ws.limits.status(actor)
    document = {"limits": [u.as_dict() for u in uses]}
    return document, "\n".join(_line(u) for u in uses) or say("limits.cli_none")


def _subject_options(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--user", dest="for_user", metavar="USER", help="a user's limits")
    group.add_argument("--app", dest="for_app", metavar="APP", help="an app's limits")
    group.add_argument("--model", dest="for_model", metavar="MODEL", help="a model's limits")


def _acting(p: argparse.ArgumentParser) -> None:
    """``--as``: the signed-in user (``--user`` names whose limits they are)."""
    common(p)
    p.add_argument("--as", dest="user", metavar="NAME", help="act as this user (the Owner)")
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input",
    )


def register(sub: Any) -> None:
    limits = sub.add_parser("limits", help="usage limits of users, apps and models")
    lsub = limits.add_subparsers(dest="limits_cmd", metavar="ACTION", required=True)
    p = lsub.add_parser("set", help="set limits of a user, app or model (Owner)")
    _subject_options(p)
    for kind, text in (
        (LimitKind.TOKENS_PER_DAY, "tokens a day (UTC), prompt + answer"),
        (LimitKind.TOKENS_PER_MONTH, "tokens a calendar month (UTC)"),
        (LimitKind.REQUESTS_PER_MINUTE, "questions in any 60 seconds"),
        (LimitKind.CONCURRENT, "answers generated at once (refused beyond it, not queued)"),
    ):
        flag = "--" + kind.value.replace("_", "-")
        p.add_argument(flag, dest=kind.value, type=int, metavar="N", help=text)
    _acting(p)
    p.set_defaults(handler=as_user(_set))
    p = lsub.add_parser("clear", help="clear the limits named, or all (Owner)")
    _subject_options(p)
    for kind in LimitKind:
        flag = "--" + kind.value.replace("_", "-")
        p.add_argument(flag, dest=kind.value, action="store_true", help=f"clear {kind.value}")
    _acting(p)
    p.set_defaults(handler=as_user(_clear))
    p = lsub.add_parser("list", help="every limit and what is used against it (Owner, Admins)")
    common(p, user=True)
    p.set_defaults(handler=as_user(_list))
