"""``kura kb export`` / ``kura kb import`` (signed, encrypted knowledge-base packages) and
``kura keys exchange-pubkey`` / ``trust`` / ``trusted`` (the keys they travel under)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop import app
from desktop.cli.io import Phrase, StdinLines, as_user, common
from desktop.core.errors import InputError
from desktop.core.models import Actor
from desktop.files import refuse_existing, write_new_file

Result = tuple[dict[str, Any], str]
_PASSPHRASE = Phrase("kbpackage.what_passphrase")


def _read(path: str) -> bytes:
    file = Path(path).expanduser()
    if not file.is_file():
        raise InputError("cli.no_such_path", path=path)
    try:
        return file.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError("cli.cannot_read_path", path=path, reason=reason) from None


def _passphrase(args: argparse.Namespace, lines: StdinLines) -> str | None:
    return lines.read(_PASSPHRASE) if args.passphrase_stdin else None


def _export(ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines) -> Result:
    out = Path(args.out).expanduser()
    if out.exists():
        raise refuse_existing(out)
    done = ws.kb_packages.export(
        actor,
        args.kb,
        lambda data: write_new_file(out, data),
        recipients=args.to or (),
        passphrase=_passphrase(args, lines),
    )
    counts = done.counts
    return (
        {"out": str(out), "package_sha256": done.sha256, **counts},
        f"Wrote {out}: {counts['documents']} documents, {counts['versions']} versions, "
        f"{counts['chunks']} chunks (SHA-256 {done.sha256}).",
    )


def _import(ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines) -> Result:
    data = _read(args.file)
    done = ws.kb_packages.import_package(
        actor, data, into=args.into, passphrase=_passphrase(args, lines)
    )
    return (
        done.as_dict(),
        f"Imported into {done.kb.name} (id {done.kb.id}): {done.added} versions added, "
        f"{done.skipped} already present"
        + (", re-embedded with this workspace's model" if done.reembedded else "")
        + f"; signed by {done.signer}.",
    )


def _exchange_pubkey(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> Result:
    recipient = ws.kb_packages.keys.public_key(actor)
    return {"recipient": recipient}, recipient


def _trust(ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines) -> Result:
    data = _read(args.file)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("kbpackage.trust_line_invalid", line=1) from None
    added = ws.kb_packages.keys.trust(actor, text)
    lines_out = [f"trusted {a['fingerprint']} as {a['principals']}" for a in added]
    return {"added": added}, "\n".join(lines_out) or "Every line was already trusted."


def _trusted(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> Result:
    signers = ws.kb_packages.keys.trusted(actor)
    text = "\n".join(
        f"{s['fingerprint']}  {s['principals']}  (by {s['added_by']} {s['added_at'][:16]})"
        for s in signers
    )
    return {"trusted": signers}, text or "No trusted signers."


def _passphrase_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help="read the package's passphrase from standard input (after the password lines)",
    )


def register_kb(ksub: Any) -> None:
    """``kb export`` and ``kb import``, on the ``kb`` command's subparsers."""
    p = ksub.add_parser("export", help="write a signed, encrypted package (Admin and above)")
    p.add_argument("kb")
    p.add_argument("--out", required=True, help="the package file to write (never overwritten)")
    p.add_argument(
        "--to",
        action="append",
        metavar="AGE_RECIPIENT",
        help="the receiving workspace's `kura keys exchange-pubkey` (repeatable)",
    )
    _passphrase_option(p)
    common(p, user=True)
    p.set_defaults(handler=as_user(_export))
    p = ksub.add_parser("import", help="import a package from a trusted workspace")
    p.add_argument("file")
    p.add_argument("--into", metavar="KB", help="add its documents as new versions of KB")
    _passphrase_option(p)
    common(p, user=True)
    p.set_defaults(handler=as_user(_import))


def register_keys(ksub: Any) -> None:
    """``keys exchange-pubkey``, ``keys trust`` and ``keys trusted``."""
    p = ksub.add_parser(
        "exchange-pubkey", help="this workspace's age key, to receive knowledge bases"
    )
    common(p, user=True)
    p.set_defaults(handler=as_user(_exchange_pubkey))
    p = ksub.add_parser("trust", help="trust a workspace's signing key for packages (Owner)")
    p.add_argument("file", help="the lines `kura logs pubkey` prints on that workspace")
    common(p, user=True)
    p.set_defaults(handler=as_user(_trust))
    p = ksub.add_parser("trusted", help="the signers whose packages this workspace imports")
    common(p, user=True)
    p.set_defaults(handler=as_user(_trusted))
