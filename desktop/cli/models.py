"""``kura models add | list | set`` (``add-remote`` and ``remove``: :mod:`.remote_models`)."""

from __future__ import annotations

import argparse
from typing import Any

from desktop import app
from desktop.cli import remote_models
from desktop.cli.io import StdinLines, as_user, common
from desktop.core.chat_models import AUTO, LoadSettings, ModelRecord
from desktop.core.errors import InputError
from desktop.core.models import Actor


def _gpu_layers(text: str) -> int | str:
    if text == AUTO:
        return AUTO
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("use 'auto', -1 (all) or a number of layers") from None


def _settings(args: argparse.Namespace, base: LoadSettings | None = None) -> LoadSettings:
    current = (base or LoadSettings()).as_dict()
    for field, value in (
        ("n_gpu_layers", args.gpu_layers),
        ("n_threads", args.threads),
        ("n_ctx", args.ctx),
        ("n_batch", args.batch),
    ):
        if value is not None:
            current[field] = value
    return LoadSettings.from_dict(current)


def _line(m: ModelRecord) -> str:
    if m.remote:
        return remote_models.remote_line(m)
    info = m.info
    params = f"{info.parameter_count / 1e6:.0f}M" if info.parameter_count else "?"
    return (
        f"{m.name:<24} {info.architecture:<10} {params:>7} {info.quantization or '?':<8} "
        f"ctx {info.context_length or '?':<7} {m.sha256[:12]}  {m.path}"
    )


def _list(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    models = ws.models.list(actor)
    return (
        {"models": [m.public_dict() for m in models]},
        "\n".join(_line(m) for m in models) or "no models registered yet",
    )


def _add(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    record = ws.models.register(actor, args.path, args.name, _settings(args))
    return record.public_dict(), f"Registered {_line(record)}"


def _set(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    record = ws.models.get(actor, args.name)
    settings = _settings(args, record.settings)
    if settings == record.settings:
        raise InputError("cli.models_nothing_to_change")
    ws.models.configure(actor, args.name, settings)
    return {"name": args.name, "settings": settings.as_dict()}, f"{args.name}: {settings.as_dict()}"


def _load_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--gpu-layers", type=_gpu_layers, help="'auto' (default), -1 = all, or N")
    p.add_argument("--threads", type=int, help="CPU threads (default: physical cores)")
    p.add_argument("--ctx", type=int, help="context size in tokens (default 4096)")
    p.add_argument("--batch", type=int, help="prompt batch size (default 512)")


def register(sub: Any) -> None:
    models = sub.add_parser("models", help="register and configure local GGUF models (Owner)")
    msub = models.add_subparsers(dest="models_cmd", metavar="ACTION", required=True)
    p = msub.add_parser("add", help="register a GGUF file (it stays where it is)")
    p.add_argument("path")
    p.add_argument("--name", help="a short name (default: the file name)")
    _load_options(p)
    common(p, user=True)
    p.set_defaults(handler=as_user(_add))
    p = msub.add_parser("list", help="registered models")
    common(p, user=True)
    p.set_defaults(handler=as_user(_list))
    p = msub.add_parser("set", help="change a model's load settings")
    p.add_argument("name")
    _load_options(p)
    common(p, user=True)
    p.set_defaults(handler=as_user(_set))
    remote_models.register(msub)
