"""``kura chat`` (streams the answer) and ``kura conversations ...``."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from desktop.cli.io import StdinLines, common, emit, key_values, note, open_workspace, sign_in
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
        message = lines.rest("the message") if args.message == "-" else args.message
        with _ctrl_c_cancels(cancel):
            result = ws.chat.send(
                actor,
                args.app,
                message,
                conversation_id=args.conversation,
                variables=key_values(args.var, "--var"),
                cancel=cancel,
                on_piece=None if args.json else _write,
            )
    _report(args, result)
    return 0


def cmd_conversations(args: argparse.Namespace) -> int:
    lines = StdinLines()
    cancel = CancelToken()
    with open_workspace(args) as ws:
        actor = sign_in(ws, args, lines)
        action = args.conv_cmd
        if action == "list":
            convs = ws.chat.conversations(actor, args.app)
            emit(
                args,
                {"conversations": [c.public_dict() for c in convs]},
                "\n".join(f"{c.id:>5}  {c.updated_at[:16]}  {c.title}" for c in convs)
                or "no conversations yet",
            )
        elif action == "show":
            turns = ws.chat.turns(actor, args.id)
            text = "\n\n".join(
                f"> {t.user_text}\n{t.answer}"
                + (" [stopped]" if t.stop_reason == "cancelled" else "")
                for t in turns
            )
            emit(args, {"turns": [t.public_dict() for t in turns]}, text)
        elif action == "rename":
            ws.chat.rename(actor, args.id, args.title)
            emit(args, {"renamed": args.id}, f"Renamed conversation {args.id}.")
        elif action == "delete":
            ws.chat.delete(actor, args.id)
            emit(args, {"deleted": args.id}, f"Deleted conversation {args.id}.")
        else:
            with _ctrl_c_cancels(cancel):
                result = ws.chat.regenerate(
                    actor, args.id, cancel=cancel, on_piece=None if args.json else _write
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
    for action, helptext in (
        ("show", "the turns of a conversation"),
        ("delete", "delete it for good"),
        ("regenerate", "answer the last message again"),
    ):
        p = csub.add_parser(action, help=helptext)
        p.add_argument("id", type=int)
        common(p, user=True)
    p = csub.add_parser("rename", help="give it a title")
    p.add_argument("id", type=int)
    p.add_argument("title")
    common(p, user=True)
    conv.set_defaults(handler=cmd_conversations)
