"""``kura chat`` (streams the answer) and ``kura conversations ...``."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from desktop import app
from desktop.cli.io import (
    Phrase,
    StdinLines,
    as_user,
    common,
    emit,
    key_values,
    note,
    open_workspace,
    say,
    sign_in,
)
from desktop.core.models import Actor
from desktop.core.services.chat import TurnResult
from desktop.core.tasks import CancelToken


@contextmanager
def _ctrl_c_cancels(cancel: CancelToken) -> Iterator[None]:
    """The first Ctrl-C stops the answer (kept, marked stopped); a second one aborts."""

    def handler(signum: int, frame: Any) -> None:
        if cancel.cancelled:
            raise KeyboardInterrupt
        cancel.cancel()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _write(piece: str) -> None:
    sys.stdout.write(piece)
    sys.stdout.flush()


def _report(args: argparse.Namespace, result: TurnResult) -> None:
    if args.json:
        emit(args, result.as_dict(), "")
        return
    sys.stdout.write("\n")
    t = result.turn
    extra = " (stopped)" if t.stop_reason == "cancelled" else ""
    if t.stop_reason == "length":
        extra = " (max_tokens reached)"
    if t.dropped_turns:
        extra += f"; {t.dropped_turns} older turn(s) left out to fit the context"
    note(
        f"[conversation {result.conversation_id}, {t.usage['completion_tokens']} tokens, "
        f"{t.timings['tokens_per_s']} tok/s, first token {t.timings['ttft_ms']:.0f} ms]{extra}"
    )


def cmd_chat(args: argparse.Namespace) -> int:
    lines = StdinLines()
    cancel = CancelToken()
    with open_workspace(args) as ws:
        actor = sign_in(ws, args, lines)
        message = lines.rest(Phrase("cli.what.message")) if args.message == "-" else args.message
        with _ctrl_c_cancels(cancel):
            result = ws.chat.send(
                actor,
                args.app,
                message,
                conversation_id=args.conversation,
                variables=key_values(args.var, "--var"),
                cancel=cancel,
                on_piece=None if args.json else _write,
                exhaustive=True if args.exhaustive else None,
                progress=_batches,
            )
    _report(args, result)
    return 0


def _batches(done: int, total: int | None, message: str = "") -> None:
    """An exhaustive turn's progress, on standard error: "batch 3 of 12"."""
    if total and done < total:
        note(say("chat.exhaustive_progress", part=done + 1, parts=total))


def _conversations_list(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    convs = ws.chat.conversations(actor, args.app)
    return (
        {"conversations": [c.public_dict() for c in convs]},
        "\n".join(f"{c.id:>5}  {c.updated_at[:16]}  {c.title}" for c in convs)
        or "no conversations yet",
    )


def _conversations_show(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    turns = ws.chat.turns(actor, args.id)
    text = "\n\n".join(
        f"> {t.user_text}\n{t.answer}" + (" [stopped]" if t.stop_reason == "cancelled" else "")
        for t in turns
    )
    return {"turns": [t.public_dict() for t in turns]}, text


def _conversations_rename(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    ws.chat.rename(actor, args.id, args.title)
    return {"renamed": args.id}, f"Renamed conversation {args.id}."


def _conversations_delete(
    ws: app.Workspace, actor: Actor, args: argparse.Namespace, lines: StdinLines
) -> tuple[dict[str, Any], str]:
    ws.chat.delete(actor, args.id)
    return {"deleted": args.id}, f"Deleted conversation {args.id}."


def cmd_regenerate(args: argparse.Namespace) -> int:
    """``kura conversations regenerate``: the new answer streams like ``kura chat``'s, in
    the mode the message was asked in unless ``--exhaustive`` / ``--no-exhaustive`` says;
    an exhaustive reading shows its batches on stderr, and Ctrl-C stops it."""
    lines = StdinLines()
    cancel = CancelToken()
    with open_workspace(args) as ws:
        actor = sign_in(ws, args, lines)
        with _ctrl_c_cancels(cancel):
            result = ws.chat.regenerate(
                actor,
                args.id,
                cancel=cancel,
                on_piece=None if args.json else _write,
                exhaustive=args.exhaustive,
                progress=_batches,
            )
        _report(args, result)
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("chat", help="ask an app; the answer streams to stdout")
    p.add_argument("app", help="app name or id")
    p.add_argument(
        "--message",
        required=True,
        help="what to ask; '-' reads it from standard input (after the password line), "
        "which keeps it out of the shell history",
    )
    p.add_argument("--conversation", type=int, help="continue this conversation")
    p.add_argument(
        "--exhaustive",
        action="store_true",
        help="read every document of the app in batches and list every item found "
        "(for 'list every ...' and 'how many ...'); an app can make this its default",
    )
    p.add_argument(
        "--var",
        action="append",
        metavar="NAME=VALUE",
        help="a value for an instructions {{variable}} (new conversations)",
    )
    common(p, user=True)
    p.set_defaults(handler=cmd_chat)

    conv = sub.add_parser("conversations", help="your conversations")
    csub = conv.add_subparsers(dest="conv_cmd", metavar="ACTION", required=True)
    p = csub.add_parser("list", help="newest first")
    p.add_argument("--app", help="only this app's")
    common(p, user=True)
    p.set_defaults(handler=as_user(_conversations_list))
    for action, helptext, handler in (
        ("show", "the turns of a conversation", as_user(_conversations_show)),
        ("delete", "delete it for good", as_user(_conversations_delete)),
        ("regenerate", "answer the last message again", cmd_regenerate),
    ):
        p = csub.add_parser(action, help=helptext)
        p.add_argument("id", type=int)
        common(p, user=True)
        p.set_defaults(handler=handler)
    regenerate = csub.choices["regenerate"]
    regenerate.add_argument(
        "--exhaustive",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="read every document of the app again in batches (--exhaustive) or answer "
        "from the best passages (--no-exhaustive); default: the mode it was asked in",
    )
    p = csub.add_parser("rename", help="give it a title")
    p.add_argument("id", type=int)
    p.add_argument("title")
    common(p, user=True)
    p.set_defaults(handler=as_user(_conversations_rename))
