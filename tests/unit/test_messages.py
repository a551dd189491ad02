"""The message catalogue: every code an error can carry has English and Japanese words,
with the same parameters, and every raise site in ``desktop/`` names a code that exists."""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core import errors, rbac
from desktop.core.errors import AppError, InputError, PermissionDenied
from desktop.core.messages import (
    Language,
    Surface,
    Term,
    language_from_environment,
    placeholders,
    render,
)
from desktop.core.messages.catalogue import CATALOGUE
from desktop.core.models import Actor, Role

ROOT = Path(__file__).resolve().parents[2] / "desktop"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

#: Calls whose first argument (or, for these, the named position) is a catalogue code.
CODE_POSITION = {"Refusal": 2, "refuse": 2, "Term": 0, "say": 0, "render": 0}

#: Where a code arrives in a variable, not a literal, and why that is sound.
DYNAMIC = {
    ("desktop/core/services/base.py", "Refusal"),  # re-raises a PermissionDenied's code
    ("desktop/core/services/base.py", "PermissionDenied"),  # a Refusal's code
    ("desktop/core/services/accounts.py", "Term"),  # a strength reason (test_strength)
    ("desktop/core/messages/__init__.py", "render"),  # Term renders its own code
    ("desktop/core/policy.py", "Term"),  # require_text's caller names the thing's code
    ("desktop/core/errors.py", "render"),  # AppError renders its own code
    ("desktop/cli/io.py", "render"),  # say() renders its caller's code
    ("desktop/modelhost/wire_errors.py", "Term"),  # a Term parameter the model host sent back
}


def _error_names() -> set[str]:
    return {
        name
        for name, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, AppError)
    }


#: Plain-name helpers taking a code, counted only where imported from these modules.
HELPERS_FROM = {"desktop.core.messages", "desktop.cli.io"}


def _calls() -> Iterator[tuple[str, int, str, ast.Call]]:
    errors_ = _error_names()
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT.parent).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        helpers = {"Refusal"} | {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module in HELPERS_FROM
            for alias in node.names
        }
        if rel in ("desktop/core/messages/__init__.py", "desktop/cli/io.py"):
            helpers |= {"render", "Term"}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name):
                name = func.id
                if name in errors_ or (name in CODE_POSITION and name in helpers):
                    yield rel, node.lineno, name, node
            elif isinstance(func, ast.Attribute) and func.attr in errors_ | {"refuse"}:
                yield rel, node.lineno, func.attr, node


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_entry_speaks_both_languages_with_the_same_parameters(code: str) -> None:
    entry = CATALOGUE[code]
    texts = [entry.text] + [t for t in (entry.cli, entry.gui) if t is not None]
    for text in texts:
        assert text.en.strip() and text.ja.strip(), f"{code}: a language is empty"
        assert JAPANESE.search(text.ja) or not re.search("[A-Za-z]{4,}", text.en), (
            f"{code}: the Japanese text is not Japanese: {text.ja!r}"
        )
        assert placeholders(text.en) == placeholders(text.ja), f"{code}: parameters differ"
    assert (entry.cli is None) == (entry.gui is None), f"{code}: word the remedy for both"
    if entry.cli is not None:
        assert "remedy" in placeholders(entry.text.en), f"{code}: the text has no {{remedy}}"


def test_every_raise_site_names_a_code_in_the_catalogue_with_its_parameters() -> None:
    problems = []
    for rel, line, name, call in _calls():
        position = CODE_POSITION.get(name, 0)
        args = call.args
        if len(args) <= position:
            if name != "Cancelled":  # Cancelled() has a default code
                problems.append(f"{rel}:{line}: {name}() without a code")
            continue
        arg = args[position]
        if isinstance(arg, ast.JoinedStr) and name == "Term":
            continue  # Term(f"accounts.role.{...}"): test_terms covers every value
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            if (rel, name) not in DYNAMIC:
                problems.append(f"{rel}:{line}: {name}(...) with a code that is not a literal")
            continue
        code = arg.value
        if code not in CATALOGUE:
            problems.append(f"{rel}:{line}: {name}({code[:50]!r}) is not a catalogue code")
            continue
        given = {k.arg for k in call.keywords if k.arg}
        if any(k.arg is None for k in call.keywords) or name == "render":
            continue  # **params or a mapping: checked where they are built
        needed = placeholders(CATALOGUE[code].text.en) - {"remedy"}
        missing = needed - given
        if missing:
            problems.append(f"{rel}:{line}: {code} needs {sorted(missing)}")
    assert not problems, "\n".join(problems)


def test_terms_for_every_role_and_permission() -> None:
    for role in Role:
        assert f"accounts.role.{role.value}" in CATALOGUE
    for permission in rbac.Permission:
        assert f"accounts.verb.{permission.value}" in CATALOGUE


def test_a_denial_reads_in_the_users_language() -> None:
    member = Actor(user_id=1, username="mo", role=Role.MEMBER)
    with pytest.raises(PermissionDenied) as caught:
        rbac.require(member, rbac.Permission.MANAGE_MEMBERS)
    assert caught.value.message == (
        "permission denied: the Member role may not manage members; ask the workspace "
        "Owner or an Admin"
    )
    ja = caught.value.render(Language.JA)
    assert "メンバーの役割ではメンバーを管理することはできません" in ja


def test_the_remedy_is_worded_for_the_front_end() -> None:
    cli = render("accounts.totp_required", {}, Language.EN, Surface.CLI)
    gui = render("accounts.totp_required", {}, Language.EN, Surface.GUI)
    assert "`kura users totp enroll`" in cli and "kura" not in gui
    assert "Settings > Security" in gui
    assert "設定 > セキュリティ" in render("accounts.totp_required", {}, Language.JA, Surface.GUI)


def test_parameters_that_are_messages_render_in_the_same_language() -> None:
    inner = InputError("accounts.password_too_short", length=3, minimum=12)
    outer = render("common.cli_error", {"message": inner}, Language.JA, Surface.CLI)
    assert outer.startswith("kura: エラー: パスワードが短すぎます（3 文字）")
    assert Term("accounts.role.owner").render(Language.JA) == "オーナー"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, Language.EN),
        ({"LANG": "C"}, Language.EN),
        ({"LANG": "ja_JP.UTF-8"}, Language.JA),
        ({"LANG": "ja_JP.UTF-8", "LC_ALL": "C.UTF-8"}, Language.EN),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "ja_JP.UTF-8"}, Language.JA),
    ],
)
def test_the_cli_language_follows_posix_locale_precedence(
    environ: dict[str, str], expected: Language
) -> None:
    assert language_from_environment(environ) is expected
