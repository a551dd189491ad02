"""Shared plumbing of the command line: secrets from stdin, output, signing in."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from desktop import app
from desktop.core.errors import (
    EXIT_USAGE,
    AuthenticationFailed,
    InputError,
    SecondFactorRequired,
)
from desktop.core.messages import Language, Surface, language_from_environment, render
from desktop.core.models import Actor
from desktop.core.ports import KeyStore

Handler = Callable[[argparse.Namespace], int]
#: One subcommand acting as the signed-in ``--user``: returns the JSON document and the
#: human text to print (see :func:`as_user`).
UserAction = Callable[
    ["app.Workspace", Actor, argparse.Namespace, "StdinLines"], tuple[dict[str, Any], str]
]


class Parser(argparse.ArgumentParser):
    """argparse that exits 2 with a one-line message instead of a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"kura: error: {message} (see `{self.prog} --help`)\n")


@dataclass(frozen=True, slots=True)
class Phrase:
    """What a prompt or standard input should give (``cli.what.*`` with parameters),
    rendered in the language of the message it stands in."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self, language: Language = Language.EN, surface: Surface = Surface.CLI) -> str:
        return render(self.code, self.params, language, surface)


class StdinLines:
    """Reads secrets line by line from standard input (``--password-stdin``)."""

    def __init__(self, stream: Any = None) -> None:
        self._stream = stream if stream is not None else sys.stdin

    def read(self, what: Phrase) -> str:
        line = self._stream.readline()
        if not line:
            raise InputError("cli.stdin_empty", what=what)
        return line.rstrip("\r\n")

    def rest(self, what: Phrase) -> str:
        """Everything left on standard input (a multi-line message)."""
        text = str(self._stream.read())
        if not text.strip():
            raise InputError("cli.stdin_empty", what=what)
        return text.rstrip("\n")


def secret(args: argparse.Namespace, what: Phrase, lines: StdinLines) -> str:
    """A secret from stdin (``--password-stdin``) or, on a terminal, a hidden prompt."""
    if getattr(args, "password_stdin", False):
        return lines.read(what)
    if not sys.stdin.isatty():
        raise InputError("cli.no_terminal", what=what)
    return getpass.getpass(f"{what.render(language(), Surface.CLI)}: ")


def emit(args: argparse.Namespace, document: dict[str, Any], text: str) -> None:
    """One JSON document with ``--json``, else human text, on stdout."""
    if getattr(args, "json", False):
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        print(text)


def note(message: str) -> None:
    print(message, file=sys.stderr)


def language() -> Language:
    """The CLI speaks the locale's language: Japanese under ``LANG=ja_JP.UTF-8``."""
    return language_from_environment(os.environ)


def say(code: str, **params: Any) -> str:
    """A catalogue message in the CLI's language, remedies worded as commands."""
    return render(code, params, language(), Surface.CLI)


def data_dir(args: argparse.Namespace) -> Path:
    return app.resolve_data_dir(args.data_dir)


def _password(args: argparse.Namespace, lines: StdinLines) -> str:
    """``--user``'s password, read once per command (opening a strict-mode workspace
    and signing in both need it)."""
    cached = getattr(args, "kura_password", None)
    if cached is not None:
        return str(cached)
    password = secret(args, Phrase("cli.what.password_for", {"user": args.user}), lines)
    args.kura_password = password
    return password


def credentials(args: argparse.Namespace, key_store: KeyStore) -> app.Credentials | None:
    """In strict unlock mode, ``--user`` and their password (which open the workspace);
    in keyring mode None. Strict mode without ``--user`` is refused before any read."""
    if app.unlock_mode(data_dir(args), key_store=key_store) != "strict":
        return None
    if not getattr(args, "user", None):
        raise AuthenticationFailed("workspace.strict_password_required")
    return args.user, _password(args, StdinLines())


def open_workspace(args: argparse.Namespace) -> app.Workspace:
    key_store = app.default_key_store()
    return app.open_workspace(
        data_dir(args), key_store=key_store, credentials=credentials(args, key_store)
    )


def sign_in(ws: app.Workspace, args: argparse.Namespace, lines: StdinLines) -> Actor:
    """Authenticate ``--user``: the password, then, for an account with TOTP, a one-time
    code (the next line of stdin with ``--password-stdin``, else a prompt)."""
    if not args.user:
        raise InputError("cli.user_required")
    password = _password(args, lines)
    try:
        return ws.accounts.authenticate(args.user, password)
    except SecondFactorRequired:
        code = secret(args, Phrase("cli.what.code_for", {"user": args.user}), lines)
        return ws.accounts.authenticate(args.user, password, code)


def as_user(action: UserAction) -> Handler:
    """The handler of one subcommand: open the workspace, sign in ``--user``, run
    ``action`` and print what it returns; exit 0."""

    def handler(args: argparse.Namespace) -> int:
        lines = StdinLines()
        with open_workspace(args) as ws:
            actor = sign_in(ws, args, lines)
            document, text = action(ws, actor, args, lines)
        emit(args, document, text)
        return 0

    return handler


def common(p: argparse.ArgumentParser, *, user: bool = False, json_out: bool = True) -> None:
    """Options every command takes: the data dir, --json, and the acting user."""
    p.add_argument("--data-dir", help="workspace folder (default: KURA_DATA_DIR or user data dir)")
    if json_out:
        p.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    if user:
        p.add_argument("--user", help="act as this user")
        p.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password(s) from standard input, one per line",
        )


def key_values(pairs: list[str] | None, option: str) -> dict[str, str]:
    """``NAME=VALUE`` arguments of ``option`` as a dict; a malformed one is an InputError."""
    out: dict[str, str] = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InputError("cli.key_value_malformed", option=option, pair=pair)
        out[name.strip()] = value
    return out
