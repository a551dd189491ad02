"""``kura privacy``: the workspace's personal-data defaults and terms.

``show`` prints the workspace default (any user); ``set POLICY on|off`` changes it and
``terms``/``set-terms`` read and replace the workspace's terms (Owner). The terms are
personal data, so ``set-terms`` reads them from standard input (after the password,
with ``--password-stdin``), one a line, ``re:`` before a regular expression; they are
never taken from the command line, where the shell's history would keep them.
"""

from __future__ import annotations

import argparse
from typing import Any

from desktop import app
from desktop.cli.io import Phrase, StdinLines, as_user, common, say
from desktop.core.models import Actor
from desktop.core.privacy import Defaults, Term

Result = tuple[dict[str, Any], str]
_POLICIES = {"minimise-logs": "minimise_logs", "pseudonymise": "pseudonymise"}


def _defaults(value: Defaults) -> Result:
    on = {True: "on", False: "off"}
    text = say(
        "privacy.cli_defaults",
        minimise=on[value.minimise_logs],
        pseudonymise=on[value.pseudonymise],
    )
    return {"defaults": value.as_dict()}, text


def _terms(terms: list[Term]) -> Result:
    lines = [f"re:{t.text}" if t.regex else t.text for t in terms]
    return {"terms": [t.as_dict() for t in terms]}, "\n".join(lines)


def _show(ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines) -> Result:
    return _defaults(ws.privacy.defaults(actor))


def _set(ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines) -> Result:
    change = {_POLICIES[args.policy]: args.value == "on"}
    return _defaults(ws.privacy.set_defaults(actor, **change))


def _list_terms(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> Result:
    return _terms(ws.privacy.terms(actor))


def _set_terms(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> Result:
    given = [] if args.clear else lines.rest(Phrase("privacy.what.terms")).splitlines()
    terms = [Term(line[3:], regex=True) if line.startswith("re:") else Term(line) for line in given]
    return _terms(ws.privacy.set_terms(actor, terms))


def register(sub: Any) -> None:
    privacy = sub.add_parser("privacy", help="personal data: workspace defaults and terms")
    psub = privacy.add_subparsers(dest="privacy_cmd", metavar="ACTION", required=True)
    p = psub.add_parser("show", help="the workspace default of the personal-data policies")
    common(p, user=True)
    p.set_defaults(handler=as_user(_show))
    p = psub.add_parser("set", help="change the workspace default (Owner)")
    p.add_argument("policy", choices=sorted(_POLICIES))
    p.add_argument("value", choices=["on", "off"])
    common(p, user=True)
    p.set_defaults(handler=as_user(_set))
    p = psub.add_parser("terms", help="the workspace's personal-data terms (Owner)")
    common(p, user=True)
    p.set_defaults(handler=as_user(_list_terms))
    p = psub.add_parser(
        "set-terms", help="replace the terms: one a line on stdin, re: before a pattern (Owner)"
    )
    p.add_argument("--clear", action="store_true", help="remove every term")
    common(p, user=True)
    p.set_defaults(handler=as_user(_set_terms))
