"""``kura kb ...``: knowledge bases, their documents and versions, and search."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop import app
from desktop.cli import kb_package
from desktop.cli.io import (
    StdinLines,
    as_user,
    common,
    emit,
    language,
    note,
    open_workspace,
    say,
    sign_in,
)
from desktop.core.errors import EXIT_USAGE, InputError
from desktop.core.knowledge_models import KbSettings, KbVisibility, KnowledgeBase, RetrievalMode
from desktop.core.messages import Surface
from desktop.core.models import Actor
from desktop.core.services.registry import Services
from desktop.core.tasks import CancelToken
from desktop.files import FileSource, collect_sources

_SETTING_FLAGS = {
    "embedding_model": "embedding_model",
    "chunk_size": "chunk_size",
    "chunk_overlap": "chunk_overlap",
    "mode": "mode",
    "top_k": "top_k",
    "threshold": "score_threshold",
    "reranker": "reranker",
}


def files_to_add(paths: list[str]) -> list[FileSource]:
    """Every file in ``paths`` (see :func:`desktop.files.collect_sources`); a path that is
    neither a file nor a folder stops the command."""
    sources, missing = collect_sources(paths)
    if missing and missing[0].error:
        raise InputError("cli.cannot_read_path", path=missing[0].given, reason=missing[0].error)
    if missing:
        raise InputError("cli.no_such_path", path=missing[0].given)
    return sources


class _Progress:
    """A one-line progress bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self) -> None:
        self._tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int | None, message: str = "") -> None:
        if not self._tty or not total:
            return
        filled = int(30 * done / total)
        sys.stderr.write(
            f"\r[{'#' * filled}{' ' * (30 - filled)}] {done}/{total} {message[:40]:<40}"
        )
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _settings(args: argparse.Namespace, base: KbSettings) -> KbSettings | None:
    values = base.as_dict()
    changed = False
    for flag, field in _SETTING_FLAGS.items():
        value = getattr(args, flag, None)
        if value is not None:
            values[field], changed = value, True
    for flag in ("redact_pii", "keep_original"):  # on/off switches
        if getattr(args, flag, None) is not None:
            values[flag], changed = getattr(args, flag) == "on", True
    return KbSettings.from_dict(values) if changed else None


def _changes(
    args: argparse.Namespace, kb: KnowledgeBase, ws: Services, actor: Actor
) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if args.name is not None:
        changes["name"] = args.name
    if args.description is not None:
        changes["description"] = args.description
    if args.visibility is not None:
        changes["visibility"] = KbVisibility(args.visibility)
    if args.member is not None:
        changes["members"] = tuple(args.member)
    if args.app is not None:
        changes["app_allowlist"] = tuple(ws.apps.show(actor, a).id for a in args.app)
    settings = _settings(args, kb.settings)
    if settings is not None:
        changes["settings"] = settings
    return changes


def _kb_line(kb: KnowledgeBase) -> str:
    return f"{kb.id:>4}  {kb.name:<28} {kb.visibility.value:<8} {kb.settings.mode.value}"


Result = tuple[dict[str, Any], str]


def _create(ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines) -> Result:
    settings = _settings(args, KbSettings()) or KbSettings()
    apps = tuple(ws.apps.show(actor, a).id for a in args.app or ())
    kb = ws.knowledge.create(
        actor,
        args.name,
        description=args.description or "",
        visibility=KbVisibility(args.visibility or "only_me"),
        members=args.member or (),
        app_allowlist=apps,
        settings=settings,
    )
    return kb.public_dict(), f"Created knowledge base {kb.name} (id {kb.id})."


def _edit(ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines) -> Result:
    kb = ws.knowledge.get(actor, args.kb)
    changes = _changes(args, kb, ws, actor)
    if not changes:
        raise InputError("cli.nothing_to_change")
    kb = ws.knowledge.update(actor, args.kb, changes)
    return kb.public_dict(), f"Updated {kb.name}."


def _list(ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines) -> Result:
    kbs = ws.knowledge.list(actor)
    return (
        {"knowledge_bases": [k.public_dict() for k in kbs]},
        "\n".join(_kb_line(k) for k in kbs) or "no knowledge bases you can read",
    )


def _show(ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines) -> Result:
    kb = ws.knowledge.get(actor, args.kb)
    return kb.public_dict(), f"{_kb_line(kb)}\n  settings {kb.settings.as_dict()}"


def _delete(ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines) -> Result:
    ws.knowledge.delete(actor, args.kb)
    return {"deleted": args.kb}, f"Deleted knowledge base {args.kb}."


def cmd_add(args: argparse.Namespace) -> int:
    """``kura kb add``: a progress bar while it ingests, a line for each file it skips
    (in the user's language), and exit 2 when any file failed."""
    with open_workspace(args) as ws:
        actor = sign_in(ws, args, StdinLines())
        sources = files_to_add(args.paths)
        report = ws.knowledge.ingest(actor, args.kb, sources, CancelToken(), _Progress())
        speech = language()
        for failure in report.failed:
            error = report.errors[failure["name"]].render(speech, Surface.CLI)
            note(say("cli.kb_skipped", name=failure["name"], error=error))
        text = (
            f"{len(report.added)} added, {len(report.unchanged)} unchanged, "
            f"{len(report.failed)} failed"
        )
        emit(args, report.as_dict(), text)
        return EXIT_USAGE if report.failed else 0


def _search(ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines) -> Result:
    mode = RetrievalMode(args.mode) if args.mode else None
    hits = ws.knowledge.search(actor, args.kb, args.query, k=args.k, mode=mode)
    found = [
        f"{h.score:.3f}  {h.chunk.document} v{h.chunk.version} #{h.chunk.index}  "
        f"{' '.join(h.chunk.text.split())[:100]}"
        for h in hits
    ]
    return {"results": [h.public_dict() for h in hits]}, "\n".join(found) or "no results"


def _docs(ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines) -> Result:
    docs = ws.knowledge.documents(actor, args.kb)
    return (
        {"documents": [d.public_dict() for d in docs]},
        "\n".join(
            f"{d.name:<40} v{d.version:<3} {d.chunks:>5} chunks {d.size:>9} bytes "
            f"{d.added_by} {d.added_at[:16]}"
            for d in docs
        )
        or "no documents",
    )


def _versions(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> Result:
    found = ws.knowledge.versions(actor, args.kb, args.doc)
    return (
        {"versions": [v.public_dict() for v in found]},
        "\n".join(
            f"v{v.version:<3} {'active' if v.active else '      '} {v.chunks:>5} chunks "
            f"{v.sha256[:12]} {v.added_by} {v.added_at[:16]}"
            for v in found
        ),
    )


def _rollback(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> Result:
    ws.knowledge.rollback(actor, args.kb, args.doc, args.version)
    return (
        {"document": args.doc, "active_version": args.version},
        f"{args.doc}: version {args.version} is active again.",
    )


def _remove(ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines) -> Result:
    ws.knowledge.delete_document(actor, args.kb, args.doc)
    return {"deleted": args.doc}, f"Deleted {args.doc} and all its versions."


def _kb_options(p: argparse.ArgumentParser, *, creating: bool) -> None:
    p.add_argument("--name", required=creating)
    p.add_argument("--description")
    p.add_argument("--visibility", choices=[v.value for v in KbVisibility])
    p.add_argument("--member", action="append", help="who may read a 'partial' kb")
    p.add_argument("--app", action="append", help="an app allowed to link it (repeatable)")
    p.add_argument(
        "--embedding-model",
        dest="embedding_model",
        help="a sentence-transformers folder (default: the packaged one), or remote:NAME "
        "for a remote embedding model (kura models add-remote --kind embedding)",
    )
    p.add_argument("--chunk-size", dest="chunk_size", type=int, help="characters")
    p.add_argument("--chunk-overlap", dest="chunk_overlap", type=int, help="characters")
    p.add_argument("--mode", choices=[m.value for m in RetrievalMode])
    p.add_argument("--top-k", dest="top_k", type=int)
    p.add_argument("--threshold", type=float, help="minimum score, 0-1")
    p.add_argument("--reranker", help="a local CrossEncoder folder")
    p.add_argument(
        "--redact-pii",
        dest="redact_pii",
        choices=["on", "off"],
        help="mask personal data in documents before they are chunked and indexed",
    )
    p.add_argument(
        "--keep-original",
        dest="keep_original",
        choices=["on", "off"],
        help="with --redact-pii on: keep the original (unmasked) file too",
    )


def register(sub: Any) -> None:
    kb = sub.add_parser("kb", help="knowledge bases: documents, versions, search")
    ksub = kb.add_subparsers(dest="kb_cmd", metavar="ACTION", required=True)
    p = ksub.add_parser("create", help="a new knowledge base (Admin and above)")
    _kb_options(p, creating=True)
    common(p, user=True)
    p.set_defaults(handler=as_user(_create))
    p = ksub.add_parser("edit", help="change settings, visibility or app links")
    p.add_argument("kb")
    _kb_options(p, creating=False)
    common(p, user=True)
    p.set_defaults(handler=as_user(_edit))
    p = ksub.add_parser("list", help="knowledge bases you can read")
    common(p, user=True)
    p.set_defaults(handler=as_user(_list))
    for action, helptext, run in (
        ("show", "settings of a knowledge base", _show),
        ("delete", "delete it with every document", _delete),
        ("docs", "documents (active versions)", _docs),
    ):
        p = ksub.add_parser(action, help=helptext)
        p.add_argument("kb")
        common(p, user=True)
        p.set_defaults(handler=as_user(run))
    p = ksub.add_parser("add", help="ingest files and folders (same name = new version)")
    p.add_argument("kb")
    p.add_argument("paths", nargs="+", metavar="FILE|DIR")
    common(p, user=True)
    p.set_defaults(handler=cmd_add)
    p = ksub.add_parser("search", help="retrieve passages")
    p.add_argument("kb")
    p.add_argument("query")
    p.add_argument("--k", type=int, default=8)
    p.add_argument("--mode", choices=[m.value for m in RetrievalMode])
    common(p, user=True)
    p.set_defaults(handler=as_user(_search))
    for action, helptext, run in (
        ("versions", "versions of a document", _versions),
        ("rm", "delete a document and its versions", _remove),
    ):
        p = ksub.add_parser(action, help=helptext)
        p.add_argument("kb")
        p.add_argument("doc")
        common(p, user=True)
        p.set_defaults(handler=as_user(run))
    p = ksub.add_parser("rollback", help="make an earlier version active")
    p.add_argument("kb")
    p.add_argument("doc")
    p.add_argument("version", type=int)
    common(p, user=True)
    p.set_defaults(handler=as_user(_rollback))
    kb_package.register_kb(ksub)
