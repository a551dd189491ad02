"""``kura apps create | list | show | edit | delete`` (``export | import``: app_templates)."""

from __future__ import annotations

import argparse
from typing import Any

from desktop import app
from desktop.cli import app_templates
from desktop.cli.io import StdinLines, as_user, common, key_values
from desktop.core.chat_models import AppConfig, AppRecord, AppVisibility, SamplingParams
from desktop.core.errors import InputError
from desktop.core.models import Actor
from desktop.core.services.registry import Services

_NUMBERS = {
    "temperature": float,
    "top_p": float,
    "top_k": int,
    "max_tokens": int,
    "repeat_penalty": float,
    "seed": int,
}


def _params(pairs: list[str] | None, base: SamplingParams) -> SamplingParams:
    values: dict[str, Any] = base.as_dict()
    for name, text in key_values(pairs, "--param").items():
        kind = _NUMBERS.get(name)
        if kind is None:
            raise InputError("cli.unknown_param", name=name, known=", ".join(_NUMBERS))
        try:
            values[name] = None if text.lower() in ("", "none") and name == "seed" else kind(text)
        except ValueError:
            raise InputError("cli.param_not_number", name=name, value=text) from None
    return SamplingParams.from_dict(values)


def _changes(
    args: argparse.Namespace, base: AppConfig, ws: Services, actor: Actor
) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    simple = (
        ("name", args.name),
        ("description", args.description),
        ("icon", args.icon),
        ("instructions", args.system_prompt),
        ("opening_statement", args.opening),
    )
    changes.update({k: v for k, v in simple if v is not None})
    if args.model is not None:
        changes["model_id"] = ws.models.get(actor, args.model).id
    if args.param:
        changes["params"] = _params(args.param, base.params)
    if args.suggest is not None:
        changes["suggested_questions"] = tuple(args.suggest)
    if args.kb is not None:
        changes["kb_ids"] = tuple(_kb_id(k) for k in args.kb)
    if args.visibility is not None:
        changes["visibility"] = AppVisibility(args.visibility)
    if args.member is not None:
        changes["members"] = tuple(args.member)
    if args.exhaustive is not None:
        changes["exhaustive"] = args.exhaustive == "on"
    for policy in ("minimise_logs", "pseudonymise"):  # "default": the workspace's
        value = getattr(args, policy)
        if value is not None:
            changes[policy] = None if value == "default" else value == "on"
    return changes


def _kb_id(text: str) -> int:
    if not text.isdigit():
        raise InputError("cli.kb_id_required", value=text)
    return int(text)


def _summary(app: AppRecord) -> str:
    c = app.config
    lines = [
        f"{c.name} (app {app.id}, version {app.version})",
        f"  model id {c.model_id}; params {c.params.as_dict()}",
        f"  visibility {c.visibility.value}" + (f": {', '.join(c.members)}" if c.members else ""),
    ]
    if c.kb_ids:  # only those the user may read (the service cuts the list)
        lines.append(f"  knowledge bases: {', '.join(map(str, c.kb_ids))}")
    if c.variables:
        lines.append(f"  variables: {', '.join(c.variables)}")
    if c.instructions:
        lines.append(f"  instructions: {c.instructions[:200]}")
    return "\n".join(lines)


def _list(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    apps = ws.apps.list(actor)
    return (
        {"apps": [a.public_dict() for a in apps]},
        "\n".join(f"{a.id:>4}  {a.config.name:<28} v{a.version}" for a in apps)
        or "no apps you can use",
    )


def _create(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    if not args.name or not args.model:
        raise InputError("cli.apps_create_needs_name_and_model")
    base = AppConfig(name=args.name, model_id=ws.models.get(actor, args.model).id)
    made = ws.apps.create(actor, base.with_changes(**_changes(args, base, ws, actor)))
    return made.public_dict(), _summary(made)


def _edit(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    current = ws.apps.show(actor, args.app)
    changes = _changes(args, current.config, ws, actor)
    if not changes:
        raise InputError("cli.nothing_to_change")
    edited = ws.apps.edit(actor, args.app, changes)
    return edited.public_dict(), _summary(edited)


def _show(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    shown = ws.apps.show(actor, args.app, args.version)
    return shown.public_dict(), _summary(shown)


def _delete(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    ws.apps.delete(actor, args.app)
    return {"deleted": args.app}, f"Deleted app {args.app}."


def _config_options(p: argparse.ArgumentParser, *, creating: bool) -> None:
    p.add_argument("--name", required=creating, help="the app's name")
    p.add_argument("--model", required=creating, help="a registered model's name")
    p.add_argument("--system-prompt", help="instructions; {{variables}} are asked per chat")
    p.add_argument("--description")
    p.add_argument("--icon", help="an emoji or short text")
    p.add_argument("--opening", help="opening statement shown before the first message")
    p.add_argument("--suggest", action="append", help="a suggested question (repeatable)")
    p.add_argument(
        "--param",
        action="append",
        metavar="NAME=VALUE",
        help="temperature, top_p, top_k, max_tokens, repeat_penalty, seed",
    )
    p.add_argument("--kb", action="append", help="linked knowledge base id (repeatable)")
    p.add_argument("--visibility", choices=[v.value for v in AppVisibility])
    p.add_argument("--member", action="append", help="who may use a 'partial' app")
    p.add_argument(
        "--exhaustive",
        choices=["on", "off"],
        help="on: every question reads every document in batches and lists every item "
        "found (for 'list every ...' questions)",
    )
    for flag, what in (
        ("--minimise-logs", "the audit log keeps pseudonyms instead of personal data"),
        ("--pseudonymise", "personal data reaches the model as placeholders"),
    ):
        p.add_argument(flag, choices=["on", "off", "default"], help=f"{what} (default: the "
                       "workspace's, `kura privacy show`)")  # fmt: skip


def register(sub: Any) -> None:
    apps = sub.add_parser("apps", help="chat apps: instructions, model, parameters")
    asub = apps.add_subparsers(dest="apps_cmd", metavar="ACTION", required=True)
    p = asub.add_parser("create", help="create an app (Editor and above)")
    _config_options(p, creating=True)
    common(p, user=True)
    p.set_defaults(handler=as_user(_create))
    p = asub.add_parser("list", help="apps you can use")
    common(p, user=True)
    p.set_defaults(handler=as_user(_list))
    p = asub.add_parser("show", help="an app's configuration")
    p.add_argument("app", help="name or id")
    p.add_argument("--version", type=int, help="an older version")
    common(p, user=True)
    p.set_defaults(handler=as_user(_show))
    p = asub.add_parser("edit", help="change an app (creates a new version)")
    p.add_argument("app", help="name or id")
    _config_options(p, creating=False)
    common(p, user=True)
    p.set_defaults(handler=as_user(_edit))
    p = asub.add_parser("delete", help="delete an app and its conversations")
    p.add_argument("app", help="name or id")
    common(p, user=True)
    p.set_defaults(handler=as_user(_delete))
    app_templates.register(asub)
