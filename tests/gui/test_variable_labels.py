"""A chat app's variables read as words: the label Studio gives them, else the key made
readable (``start_date`` → "Start date"), never the raw key alone."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel

from desktop.ui.chat.variables import VariableForm, variable_label


def _label_texts(form: VariableForm) -> list[str]:
    return [label.text() for label in form.findChildren(QLabel)]


def test_a_variable_without_a_label_shows_its_key_as_words(qtbot: Any) -> None:
    form = VariableForm()
    qtbot.addWidget(form)
    form.set_variables(["department", "start_date"], None, editable=True)
    assert _label_texts(form) == ["Department", "Start date"]
    assert "department" not in _label_texts(form)
    assert variable_label("ID") == "ID"


def test_a_label_given_in_studio_is_shown_instead_of_the_key(qtbot: Any) -> None:
    form = VariableForm()
    qtbot.addWidget(form)
    form.set_variables(["department"], None, editable=True, labels={"department": "Your team"})
    assert _label_texts(form) == ["Your team"]
    assert set(form.fields) == {"department"}
