"""``kura logs ...``, ``kura keys rotate-signing`` and ``kura verify``: review the log,
rate and annotate answers, retention, signed bundles and their offline verification."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop import app
from desktop.cli import kb_package
from desktop.cli.io import Phrase, StdinLines, as_user, common, emit, note, say
from desktop.core.errors import EXIT_CHECK_FAILED, InputError
from desktop.core.models import Actor, TraceFilter
from desktop.core.pii import PiiType
from desktop.core.services.logs import parse_when
from desktop.files import refuse_existing, write_new_file
from desktop.verifier import bundle_verify


def write_new(path: Path, data: bytes) -> None:
    """Write the new file ``path`` (see :func:`desktop.files.write_new_file`)."""
    write_new_file(path, data)


def _traces(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    app_id = ws.apps.show(actor, args.app).id if args.app else None
    filters = TraceFilter(
        app_id=app_id,
        username=args.for_user,
        since=parse_when(args.since),
        until=parse_when(args.until, end=True),
        rating=args.rating,
        text=args.text,
    )
    traces = ws.logs.traces(actor, filters, limit=args.limit)
    text = "\n".join(
        f"#{t['seq']:<7} {t['ts'][:19]} {t['user']:<16} "
        + ("(purged)" if t["purged"] else repr(str(t["trace"].get("input", ""))[:60]))
        + (f"  [{t['feedback']['rating']}]" if t["feedback"] else "")
        for t in traces
    )
    return {"traces": traces}, text or "No traces match."


def _rate(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    ws.logs.rate(actor, args.turn, args.rating, args.comment or "")
    return {"ok": True, "turn": args.turn}, f"Turn {args.turn} rated {args.rating}."


def _annotate(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    ws.logs.annotate(actor, args.turn, args.answer)
    return {"ok": True, "turn": args.turn}, f"Turn {args.turn} annotated."


def _retention(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    if args.days is None and args.legal_hold is None:
        document = ws.logs.retention(actor, args.app)
    else:
        current = ws.logs.retention(actor, args.app)
        days = current["days"] if args.days is None else _days(args.days)
        hold = current["legal_hold"] if args.legal_hold is None else args.legal_hold == "on"
        ws.logs.set_retention(actor, args.app, days=days, legal_hold=hold)
        document = ws.logs.retention(actor, args.app)
    text = (
        f"{document['app']}: keep "
        + ("forever" if document["days"] is None else f"{document['days']} days")
        + ("; legal hold ON (nothing is purged)" if document["legal_hold"] else "")
    )
    return document, text


def _purge(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    document = ws.logs.purge(actor)
    apps = ", ".join(document["apps"]) or "no app was due"
    text = (
        f"Purged {document['events']} audit payloads, {document['turns']} turns and "
        f"{document['conversations']} conversations ({apps})."
    )
    return document, text


def _pubkey(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    signers = ws.logs.allowed_signers(actor)
    return {"allowed_signers": signers}, signers.rstrip("\n")


def _export(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    out = Path(args.out).expanduser()
    if out.exists():
        raise refuse_existing(out)
    export = ws.logs.export(
        actor, app_ref=args.app, since=args.since, until=args.until, pseudonymise=args.pseudonymise
    )
    write_new(out, export.data)
    document = {
        "out": str(out),
        "first_seq": export.first_seq,
        "last_seq": export.last_seq,
        "count": export.count,
        "redacted": export.redacted,
        "pseudonymised": export.pseudonymised if args.pseudonymise else None,
        "bytes": len(export.data),
        "key_fingerprint": export.fingerprint,
    }
    masked = f", {export.pseudonymised} pseudonymised" if args.pseudonymise else ""
    text = (
        f"Wrote {out}: events {export.first_seq}-{export.last_seq} "
        f"({export.count}, {export.redacted} redacted{masked}), {len(export.data)} bytes, "
        f"signed by {export.fingerprint}."
    )
    return document, text


def _pii_type(text: str) -> PiiType:
    try:
        return PiiType(text.strip().upper())
    except ValueError:
        raise InputError(
            "cli.pii_type_invalid", value=text, types=", ".join(t.value for t in PiiType)
        ) from None


def _prove(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    bundle = Path(args.bundle).expanduser()
    if not bundle.is_file():
        raise InputError("cli.no_such_bundle", path=bundle)
    value = args.value
    if value is None:  # --value-stdin: kept out of the process list and shell history
        value = lines.read(Phrase("cli.what.value_to_prove", {}))
    proof = ws.logs.prove(actor, bundle.read_bytes(), _pii_type(args.type), value)
    text = (
        f"{proof['type']} value is {proof['placeholder']} in {proof['events']} event(s).\n"
        f"Opening: {proof['opening']}\n"
        "The auditor checks it with: python3 verify_bundle.py --check-value "
        f"{proof['type']} VALUE {proof['opening']}"
    )
    return proof, text


def _days(text: str) -> int | None:
    if text.strip().lower() in ("keep", "forever"):
        return None
    try:
        return int(text)
    except ValueError:
        raise InputError("cli.days_invalid", value=text) from None


def _rotate_signing(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    key = ws.logs.rotate_signing_key(actor)
    return (
        {"fingerprint": key["fingerprint"], "public_key": key["public_key"]},
        f"New audit signing key {key['fingerprint']}. Give auditors the new "
        "`kura logs pubkey` output; bundles signed before still verify with the old key.",
    )


def cmd_verify(args: argparse.Namespace) -> int:
    """No workspace, no keyring: only the bundle and what the auditor pinned."""
    bundle = Path(args.bundle).expanduser()
    if not bundle.exists():
        raise InputError("cli.no_such_bundle", path=bundle)
    pinned = _read_text(args.allowed_signers, "--allowed-signers")
    previous = _read_text(args.previous_checkpoint, "--previous-checkpoint")
    fingerprint = args.fingerprint
    if fingerprint is not None and not bundle_verify.is_fingerprint(fingerprint):
        raise InputError("cli.fingerprint_invalid", value=fingerprint)
    check_value = None
    if args.check_value is not None:
        pii_type, value, opening = args.check_value
        if not bundle_verify.is_opening(opening):
            raise InputError("cli.opening_invalid", value=opening)
        check_value = (_pii_type(pii_type).value, value, opening)
    report = bundle_verify.verify_bundle(
        str(bundle),
        allowed_signers=pinned,
        previous_checkpoint=previous,
        fingerprint=fingerprint,
        check_value=check_value,
    )
    document = {
        "ok": report.verified and report.value_ok,  # exit 0 only when the signer was pinned
        "status": report.status,
        "integrity_ok": report.ok,
        "signer_verified": report.verified,
        "reason": report.reason,
        "facts": report.facts,
    }
    value_line = report.value_summary()
    emit(args, document, report.summary() + ("" if value_line is None else "\n" + value_line))
    if not report.ok:
        note(f"kura: bundle verification failed: {report.reason}")
    elif not report.verified:
        note(say("cli.verify_signer_not_pinned", fingerprint=report.facts["key_fingerprint"]))
    return 0 if report.verified and report.value_ok else EXIT_CHECK_FAILED


def _read_text(path: str | None, flag: str) -> str | None:
    if path is None:
        return None
    try:
        return Path(path).expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            "cli.cannot_read_option_file", option=flag, path=path, reason=str(exc)
        ) from None


def register(sub: Any) -> None:
    """Add ``logs``, ``keys`` and ``verify`` to the top-level subparsers."""
    _register_logs(sub)

    keys = sub.add_parser("keys", help="the audit signing key")
    ksub = keys.add_subparsers(dest="keys_cmd", metavar="ACTION", required=True)
    p = ksub.add_parser("rotate-signing", help="make a new signing key (Owner)")
    common(p, user=True)
    p.set_defaults(handler=as_user(_rotate_signing))
    kb_package.register_keys(ksub)

    p = sub.add_parser("verify", help="verify a bundle offline (no workspace needed)")
    p.add_argument("bundle")
    p.add_argument("--allowed-signers", help="the allowed_signers file you pinned")
    p.add_argument(
        "--fingerprint", help="the signing key's SHA256: fingerprint, obtained out of band"
    )
    p.add_argument("--previous-checkpoint", help="checkpoint.json of the last bundle you kept")
    p.add_argument(
        "--check-value",
        nargs=3,
        metavar=("TYPE", "VALUE", "OPENING"),
        help="is this disclosed value (opening from `kura logs prove`) one of the bundle's"
        " pseudonyms?",
    )
    p.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    p.set_defaults(handler=cmd_verify)


def _register_logs(sub: Any) -> None:
    logs = sub.add_parser("logs", help="traces, feedback, retention and signed bundles")
    lsub = logs.add_subparsers(dest="logs_cmd", metavar="ACTION", required=True)
    p = lsub.add_parser("traces", help="chat traces (Admin and Owner)")
    p.add_argument("--app")
    p.add_argument("--for-user", help="only this user's turns")
    p.add_argument("--since", help="YYYY-MM-DD or ISO time")
    p.add_argument("--until", help="YYYY-MM-DD (inclusive) or ISO time (exclusive)")
    p.add_argument("--rating", choices=["up", "down"])
    p.add_argument("--text", help="in the question or the answer")
    p.add_argument("--limit", type=int, default=200)
    common(p, user=True)
    p.set_defaults(handler=as_user(_traces))
    p = lsub.add_parser("rate", help="rate one of your answers")
    p.add_argument("turn", type=int)
    p.add_argument("rating", choices=["up", "down"])
    p.add_argument("--comment")
    common(p, user=True)
    p.set_defaults(handler=as_user(_rate))
    p = lsub.add_parser("annotate", help="attach an improved answer (Admin and Owner)")
    p.add_argument("turn", type=int)
    p.add_argument("--answer", required=True)
    common(p, user=True)
    p.set_defaults(handler=as_user(_annotate))
    p = lsub.add_parser("retention", help="show or set an app's retention (set: Owner)")
    p.add_argument("app")
    p.add_argument("--days", help="days to keep, or 'keep' for forever")
    p.add_argument("--legal-hold", choices=["on", "off"])
    common(p, user=True)
    p.set_defaults(handler=as_user(_retention))
    p = lsub.add_parser("purge", help="apply every app's retention now (Owner)")
    common(p, user=True)
    p.set_defaults(handler=as_user(_purge))
    p = lsub.add_parser("pubkey", help="the allowed_signers lines of the signing keys")
    common(p, user=True)
    p.set_defaults(handler=as_user(_pubkey))
    _register_bundles(lsub)


def _register_bundles(lsub: Any) -> None:
    """``logs export`` and ``logs prove``."""
    p = lsub.add_parser("export", help="write a signed bundle (Admin and Owner)")
    p.add_argument("--out", required=True, help="the .zip to write (never overwritten)")
    p.add_argument("--app")
    p.add_argument("--since", help="YYYY-MM-DD or ISO time")
    p.add_argument("--until", help="YYYY-MM-DD (inclusive) or ISO time (exclusive)")
    p.add_argument(
        "--pseudonymise",
        action="store_true",
        help="replace personal data in every payload by keyed pseudonyms",
    )
    common(p, user=True)
    p.set_defaults(handler=as_user(_export))
    p = lsub.add_parser(
        "prove", help="disclose one value's opening in a pseudonymised bundle (Owner)"
    )
    p.add_argument("bundle", help="the pseudonymised .zip this workspace exported")
    p.add_argument("--type", required=True, help="PERSON, MY_NUMBER, EMAIL_ADDRESS, ...")
    given = p.add_mutually_exclusive_group(required=True)
    given.add_argument("--value", help="the original value, as it was written")
    given.add_argument(
        "--value-stdin",
        action="store_true",
        help="read the value from the next line of standard input (after the password)",
    )
    common(p, user=True)
    p.set_defaults(handler=as_user(_prove))
