"""The rule behind plain text in the GUI, read from the source of desktop/ui: labels,
message boxes and text prompts are built only by desktop/ui/plain.py (plain text), a
tooltip is a translated literal or goes through ``plain_tip``, and the only text
browser is the one that loads no resource and follows no link."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "desktop" / "ui"
HOME = UI / "plain.py"
# built here only: they read text as rich text unless told otherwise
BUILDERS = {"QLabel", "QMessageBox", "QInputDialog", "QTextEdit", "QTextBrowser"}
TIP_SAFE = {"tr", "translate", "plain_tip"}


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(UI.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(UI.parents[1])}:{getattr(node, 'lineno', 0)}"


def _tip_is_safe(arg: ast.expr) -> bool:
    """A translated literal as it is, or anything through plain_tip."""
    return isinstance(arg, ast.Call) and _name(arg.func) in TIP_SAFE


def test_labels_boxes_and_prompts_are_built_only_where_they_are_plain() -> None:
    found: list[str] = []
    for path, tree in _modules():
        if path == HOME:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                if _name(func) in BUILDERS:  # QLabel(...), QMessageBox(...)
                    found.append(f"{_where(path, node)} builds {_name(func)}")
                if isinstance(func, ast.Attribute) and _name(func.value) in BUILDERS:
                    found.append(f"{_where(path, node)} calls {_name(func.value)}.{func.attr}")
            if isinstance(node, ast.ClassDef):
                bases = {_name(base) for base in node.bases} & BUILDERS
                if bases and node.name != "NoResourceBrowser":
                    found.append(f"{_where(path, node)} subclasses {bases}")
    allowed = {"calls QMessageBox.StandardButton", "calls QMessageBox.Icon"}
    allowed |= {"calls QMessageBox.ButtonRole"}
    assert [f for f in found if f.split(" ", 1)[1] not in allowed] == []


def _tips(tree: ast.Module) -> Iterator[ast.expr]:
    """Every expression that becomes a tooltip: setToolTip's argument, setItemData's
    value for ToolTipRole, and what a model's data() returns for ToolTipRole."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) == "setToolTip":
            yield node.args[0]
        if (
            isinstance(node, ast.Call)
            and _name(node.func) == "setItemData"
            and len(node.args) == 3
            and _name(node.args[2]) == "ToolTipRole"
        ):
            yield node.args[1]
        if isinstance(node, ast.If) and "ToolTipRole" in ast.unparse(node.test):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Return) and inner.value is not None:
                    yield inner.value


def test_tooltips_are_translated_literals_or_plain_tips() -> None:
    found = [
        _where(path, tip)
        for path, tree in _modules()
        for tip in _tips(tree)
        if not _tip_is_safe(tip)
    ]
    assert found == []


def test_no_text_view_opens_links_or_loads_resources() -> None:
    """Rich text in desktop/ui goes to NoResourceBrowser (loadResource refuses all,
    links are never opened): nothing sets a browser to open links, or a source."""
    found: list[str] = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            if name in {"setOpenExternalLinks", "setOpenLinks"}:
                arg = node.args[0]
                if not (isinstance(arg, ast.Constant) and arg.value is False):
                    found.append(f"{_where(path, node)} {name}")
            if name in {"setSource", "setSearchPaths", "addResource"}:
                found.append(f"{_where(path, node)} {name}")
    assert found == []
