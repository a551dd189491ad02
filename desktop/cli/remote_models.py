"""``kura models add-remote | refresh-remote | remove``: internal OpenAI-compatible
inference servers."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop import app
from desktop.cli.io import Phrase, StdinLines, as_user, common, say
from desktop.core.chat_models import ModelRecord
from desktop.core.errors import InputError
from desktop.core.models import Actor
from desktop.core.remote import DEFAULT_TIMEOUT_S, EndpointCheck, RemoteKind
from desktop.core.services.remote_models import RemoteRegistration, pairs_text


def remote_line(m: ModelRecord) -> str:
    """``models list``'s line for a remote model (the endpoint only for an Owner)."""
    ep = m.endpoint
    if ep is None:
        return m.name
    where = f"{ep.base_url} model {ep.model_id} tls {ep.verification}" if ep.base_url else ""
    return f"{m.name:<24} remote     {ep.kind.value:<9} ctx {m.settings.n_ctx:<7} {where}".rstrip()


def _ca(path: str | None) -> str | None:
    if path is None:
        return None
    try:
        return Path(path).expanduser().read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        raise InputError("remote.ca_unreadable", path=path, reason=reason) from exc


def _add_remote(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    key = None
    if args.api_key_stdin:
        key = lines.read(Phrase("remote.what.api_key")).strip()
        if not key:
            raise InputError("remote.api_key_stdin_empty")
    reg = RemoteRegistration(
        name=args.name,
        base_url=args.base_url,
        model_id=args.model,
        kind=RemoteKind(args.kind),
        ca_pem=_ca(args.ca_file),
        pin_sha256=args.pin_sha256,
        api_key=key,
        context_length=args.ctx,
        timeout_s=args.timeout,
        check=not args.no_check,
    )
    record, checked = ws.remote_models.register_checked(actor, reg)
    document = record.public_dict() | {"check": checked.as_dict() if checked else None}
    return document, f"Registered {remote_line(record)}\n{check_line(reg, checked)}"


def check_line(reg: RemoteRegistration, checked: EndpointCheck | None) -> str:
    """The connection test's one line (or that it was skipped)."""
    if checked is None:
        return say("remote.check_skipped")
    url, models = reg.base_url, ", ".join(checked.models[:5]) or "-"
    if checked.lists(reg.model_id.strip()) or not checked.models:
        return say("remote.check_ok", url=url, ms=checked.ms, models=models)
    return say(
        "remote.check_other_model", url=url, ms=checked.ms, models=models, model=reg.model_id
    )


def _remove(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    ws.remote_models.remove(actor, args.name)
    return {"removed": args.name}, f"Removed {args.name}"


def _refresh(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    done = ws.remote_models.refresh(actor, args.name)
    old, new, host = ", ".join(pairs_text(done.old)), ", ".join(pairs_text(done.new)), done.host
    document: dict[str, Any] = {
        "name": done.name,
        "old": pairs_text(done.old),
        "new": pairs_text(done.new),
        "changed": done.changed,
    }
    if done.changed:
        return document, say("remote.refreshed", name=done.name, host=host, old=old, new=new)
    return document, say("remote.refresh_unchanged", name=done.name, host=host, new=new)


def register(msub: Any) -> None:
    p = msub.add_parser(
        "add-remote", help="register an OpenAI-compatible server's model (llama-server, vLLM)"
    )
    p.add_argument("name", help="a short name apps will use")
    p.add_argument("--base-url", required=True, help="e.g. https://gpu.example:8443/v1")
    p.add_argument("--model", required=True, help="the model id the server serves")
    p.add_argument("--kind", choices=[k.value for k in RemoteKind], default="chat")
    trust = p.add_mutually_exclusive_group()
    trust.add_argument("--ca-file", help="PEM file of the CA that signed the server's certificate")
    trust.add_argument("--pin-sha256", help="SHA-256 of the server's certificate (hex)")
    p.add_argument(
        "--api-key-stdin",
        action="store_true",
        help="read the API key from standard input (after the password line); kept in "
        "the OS keyring only",
    )
    p.add_argument("--ctx", type=int, default=4096, help="the server's context size in tokens")
    p.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds to wait for the server"
    )
    p.add_argument(
        "--no-check",
        action="store_true",
        help="register without trying the server first (GET /v1/models), e.g. while it is down",
    )
    common(p, user=True)
    p.set_defaults(handler=as_user(_add_remote))
    p = msub.add_parser(
        "refresh-remote",
        help="resolve a remote model's host name again and pin the addresses it has now",
    )
    p.add_argument("name")
    common(p, user=True)
    p.set_defaults(handler=as_user(_refresh))
    p = msub.add_parser("remove", help="remove a registered model that no app uses")
    p.add_argument("name")
    common(p, user=True)
    p.set_defaults(handler=as_user(_remove))
