"""The ``kura`` command line: parses, calls services, prints. Nothing else.

``--json`` prints one JSON document on stdout; messages and progress go to stderr.
Exit codes: 0 ok, 1 check failed, 2 usage or input error, 3 permission denied, 4 locked,
5 a usage limit refused the request (try again when it resets; ``kura limits list``).
"""

from __future__ import annotations

import argparse
import sys
import traceback
import uuid
from collections.abc import Sequence

from desktop import __version__, app
from desktop.cli import (
    accounts,
    apps,
    backup,
    chat,
    kb,
    limits,
    logs,
    models,
    pii,
    privacy,
    selftest,
    workspace,
)
from desktop.cli.io import Handler, Parser, note, say
from desktop.core.errors import EXIT_USAGE, AppError

EXIT_INTERNAL = 70


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="kura", description="Kura: encrypted, offline chat apps and knowledge bases."
    )
    parser.add_argument("--version", action="version", version=f"kura {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    check = parser.add_argument_group("self-test (kura --self-test [--model PATH] [--json])")
    check.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation end to end in a throwaway workspace; exit 0 when all pass",
    )
    check.add_argument(
        "--model", dest="self_test_model", metavar="PATH", help="a GGUF file: also test a chat"
    )
    check.add_argument(
        "--embedder",
        dest="self_test_embedder",
        metavar="DIR",
        help="a sentence-transformers folder (default: the packaged one)",
    )
    check.add_argument(
        "--json",
        dest="self_test_json",
        action="store_true",
        help="print the self-test's steps as one JSON document on stdout",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for module in (workspace, accounts, models, apps, chat, kb, logs, privacy, pii, limits, backup):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    app.bootstrap()
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if args.self_test:
        if handler is not None:
            parser.error("--self-test takes no command")
        handler = selftest.cmd_self_test
    elif args.self_test_model or args.self_test_embedder or args.self_test_json:
        parser.error(
            "--model, --embedder and --json before a command go with --self-test "
            "(put a command's own options after it)"
        )
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return handler(args)
    except AppError as exc:
        note(say("common.cli_error", message=exc))
        return exc.exit_code
    except KeyboardInterrupt:
        note(say("common.cli_interrupted"))
        return 130
    except Exception:
        note(say("common.cli_internal", incident=uuid.uuid4().hex[:8]))
        if args.debug:
            traceback.print_exc()
        return EXIT_INTERNAL
