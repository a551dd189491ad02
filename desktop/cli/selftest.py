"""``kura --self-test [--model PATH] [--embedder DIR] [--json]``: one line per step on
stderr, the whole report as JSON on stdout with ``--json``; exit 0 only when all pass."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from desktop.cli.io import note


def cmd_self_test(args: argparse.Namespace) -> int:
    from desktop.diagnostics.selftest import StepResult, run_self_test

    def show(result: StepResult) -> None:
        note(result.line())

    model = Path(args.self_test_model).expanduser() if args.self_test_model else None
    embedder = Path(args.self_test_embedder).expanduser() if args.self_test_embedder else None
    report = run_self_test(model=model, embedder=embedder, on_step=show, debug=args.debug)
    note(report.summary())
    if args.self_test_json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    return report.exit_code
