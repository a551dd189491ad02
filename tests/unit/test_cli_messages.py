"""The CLI's own messages: what a prompt asks for (``Phrase``) names a catalogue code with
its parameters, and reads in the locale's language inside the error around it. And every
subcommand has its own handler (no dispatch on the subcommand's name)."""

from __future__ import annotations

import argparse
import ast
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.cli import build_parser
from desktop.cli.io import Phrase, StdinLines
from desktop.core.errors import InputError
from desktop.core.messages import Language, placeholders
from desktop.core.messages.catalogue import CATALOGUE

CLI = Path(__file__).resolve().parents[2] / "desktop" / "cli"


def test_every_phrase_names_a_catalogue_code_with_its_parameters() -> None:
    problems, seen = [], 0
    for path in sorted(CLI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Phrase"):
                continue
            seen += 1
            where = f"{path.name}:{node.lineno}"
            code = node.args[0] if node.args else None
            if not (isinstance(code, ast.Constant) and code.value in CATALOGUE):
                problems.append(f"{where}: not a catalogue code")
                continue
            given: set[str] = set()
            if len(node.args) > 1 and isinstance(node.args[1], ast.Dict):
                given = {k.value for k in node.args[1].keys if isinstance(k, ast.Constant)}
            missing = placeholders(CATALOGUE[code.value].text.en) - given
            if missing:
                problems.append(f"{where}: {code.value} needs {sorted(missing)}")
    assert seen and not problems, "\n".join(problems)


def test_an_empty_standard_input_is_named_in_the_users_language() -> None:
    with pytest.raises(InputError) as caught:
        StdinLines(io.StringIO("")).read(Phrase("cli.what.password_for", {"user": "alice"}))
    assert caught.value.message == "expected password for alice on standard input, found nothing"
    assert caught.value.render(Language.JA) == (
        "alice のパスワードを標準入力から読み取れませんでした（何も入力されていません）"
    )


def _leaves(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield path, parser
    for action in subs:
        for name, child in action.choices.items():
            yield from _leaves(child, (*path, name))


def test_every_subcommand_has_its_own_handler() -> None:
    leaves = dict(_leaves(build_parser()))
    assert ("users", "totp", "enroll") in leaves and ("kb", "rollback") in leaves
    without = [" ".join(path) for path, p in leaves.items() if p.get_default("handler") is None]
    assert not without, f"subcommands without a handler: {without}"
