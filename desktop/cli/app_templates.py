"""``kura apps export | import``: an app as a readable YAML template, optionally signed."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop import app
from desktop.app_template_files import read_template, write_template
from desktop.cli.io import StdinLines, as_user, common
from desktop.core.errors import InputError
from desktop.core.models import Actor


def _export(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    out = Path(args.out).expanduser()
    export = ws.app_templates.export(actor, args.app, sign=args.sign)
    written = write_template(out, export)
    document = {
        "out": str(out),
        "signature": str(written[1]) if len(written) > 1 else None,
        "sha256": export.sha256,
        "app_id": export.app_id,
        "version": export.version,
        "key_fingerprint": export.fingerprint,
    }
    text = f"Wrote {out} (app {export.app_id} version {export.version}, SHA-256 {export.sha256})"
    if export.fingerprint is not None:
        text += f"\nSigned: {written[1]} (key {export.fingerprint})"
    return document, text


def _kb_mapping(pairs: list[str] | None) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs or []:
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise InputError("apptpl.kb_mapping_syntax", value=pair)
        mapping[old.strip()] = new.strip()
    return mapping


def _import(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    data, signature = read_template(Path(args.file).expanduser())
    done = ws.app_templates.import_template(
        actor,
        data,
        signature,
        name=args.name,
        model=args.model,
        kbs=_kb_mapping(args.kb),
    )
    made = done.app
    signer = done.signer
    document = {
        **made.public_dict(),
        "template_sha256": done.sha256,
        "signer": signer.as_dict() if signer else None,
        "model_matches": done.model_matches,
    }
    lines_out = [f"Imported {made.config.name!r} as app {made.id} (SHA-256 {done.sha256})"]
    if signer is None:
        lines_out.append("Unsigned template: its origin is not proven.")
    else:
        whose = (
            "this workspace's key"
            if signer.this_workspace
            else f"a trusted key of another workspace: {signer.trusted_as}"
        )
        lines_out.append(f"Signature valid: {signer.fingerprint} ({whose})")
    if not done.model_matches:
        lines_out.append("Note: the chosen model is not the file the template was made with.")
    return document, "\n".join(lines_out)


def register(asub: Any) -> None:
    """Add ``export`` and ``import`` to ``kura apps``' subcommands."""
    p = asub.add_parser(
        "export", help="write an app as a readable YAML template (Editor and above)"
    )
    p.add_argument("app", help="name or id")
    p.add_argument("--out", required=True, help="the .yaml to write (never overwritten)")
    p.add_argument(
        "--sign",
        action="store_true",
        help="also write FILE.sig, signed with the workspace signing key (`kura logs pubkey`)",
    )
    common(p, user=True)
    p.set_defaults(handler=as_user(_export))
    p = asub.add_parser("import", help="create an app from a YAML template (Editor and above)")
    p.add_argument("file", help="the template; FILE.sig beside it is verified when present")
    p.add_argument("--name", help="the new app's name (default: the template's)")
    p.add_argument("--model", help="a registered model, when the template's is not registered")
    p.add_argument(
        "--kb",
        action="append",
        metavar="OLD=NEW",
        help="link the knowledge base NEW where the template names OLD (repeatable)",
    )
    common(p, user=True)
    p.set_defaults(handler=as_user(_import))
