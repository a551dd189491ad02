"""The dark theme: a real dark palette and style sheet whose text reads on its
background (WCAG contrast), chosen in Settings beside the language, stored as the
user's preference and applied at once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from desktop.ui import style
from desktop.ui.chat import look
from desktop.ui.context import Backend, UiContext
from desktop.ui.settings.general import GeneralPage
from tests.gui.conftest import open_direct


def _luminance(colour: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor | str, b: QColor | str) -> float:
    high, low = sorted((_luminance(QColor(a)), _luminance(QColor(b))), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture
def restore_theme(qapp: QApplication) -> Iterator[None]:
    yield
    style.apply_theme(qapp, "system")


def test_dark_theme_paints_readable_text_on_every_main_surface(
    qapp: QApplication, restore_theme: None
) -> None:
    assert style.apply_theme(qapp, "dark") and style.is_dark()
    palette = qapp.palette()
    R = QPalette.ColorRole
    for text, ground in (
        (R.WindowText, R.Window),
        (R.Text, R.Base),
        (R.Text, R.AlternateBase),
        (R.ButtonText, R.Button),
        (R.HighlightedText, R.Highlight),
        (R.ToolTipText, R.ToolTipBase),
    ):
        assert contrast(palette.color(text), palette.color(ground)) >= 4.5, (text, ground)
    assert contrast(palette.color(R.PlaceholderText), palette.color(R.Base)) >= 3.0
    assert QColor(palette.color(R.Window)).lightness() < 64
    for colours in (style.LIGHT, style.DARK):
        for fg, bg in style.TEXT_PAIRS:
            assert contrast(colours[fg], colours[bg]) >= 4.5, (fg, bg)
    for colours in (look.LIGHT, look.DARK):
        for fg, bg in look.TEXT_PAIRS:
            assert contrast(colours[fg], colours[bg]) >= 4.5, (fg, bg)
    dark_base = palette.color(R.Base)
    assert contrast(look.DARK["muted"], dark_base) >= 4.5
    assert contrast(style.DARK["muted"], palette.color(R.Window)) >= 4.5
    assert style.DARK["nav_bg"] in qapp.styleSheet()
    assert style.apply_theme(qapp, "light") is False and not style.is_dark()


def test_theme_is_chosen_in_settings_stored_and_applied(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, restore_theme: None
) -> None:
    page = GeneralPage(owner_ctx)
    qtbot.addWidget(page, before_close_func=lambda w: w.teardown())
    changed: list[str] = []
    owner_ctx.theme_did_change.connect(changed.append)
    page.theme.setCurrentIndex(page.theme.findData("dark"))
    qtbot.waitUntil(lambda: changed == ["dark"])
    assert owner_ctx.theme == "dark" and style.is_dark()
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", "a long enough passphrase")
        assert ws.settings.preferences(owner)["theme"] == "dark"
    owner_ctx.set_theme("system")
    assert not style.is_dark()
