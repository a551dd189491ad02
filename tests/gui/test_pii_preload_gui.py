"""Signing in warms the personal-data detector's host only where a policy calls it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from desktop import app
from desktop.ui.context import Backend, UiContext
from desktop.ui.main_window import MainWindow
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes_pii import FakePiiDetector
from tests.gui.conftest import open_direct

PRELOADS: list[int] = []


@pytest.fixture
def fake_engines(fake_engines: app.Engines) -> Iterator[app.Engines]:
    PRELOADS.clear()
    yield dataclasses.replace(
        fake_engines, pii_detector=FakePiiDetector(), preload_pii=lambda: PRELOADS.append(1)
    )


def _signed_in_window(qtbot: Any, make_ctx: Callable[[], UiContext]) -> MainWindow:
    window = MainWindow(make_ctx())
    qtbot.addWidget(window)
    window.login.username.setText("owner")
    window.login.password.setText(PEOPLE_PASSWORD)
    with qtbot.waitSignal(window.login.signed_in, timeout=10_000):
        window.login.submit.click()
    qtbot.waitUntil(lambda: window.warm_pii_task is not None)
    qtbot.waitUntil(lambda: not window.ctx.runner.busy)
    return window


@pytest.mark.parametrize("policy", [False, True], ids=["no-policy", "minimise-logs"])
def test_sign_in_warms_the_detector_only_where_a_policy_calls_it(
    qtbot: Any, workspace: Backend, make_ctx: Callable[[], UiContext], policy: bool
) -> None:
    if policy:
        with open_direct(workspace) as ws:
            owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
            ws.privacy.set_defaults(owner, minimise_logs=True)
    window = _signed_in_window(qtbot, make_ctx)
    try:
        assert len(PRELOADS) == (1 if policy else 0)
    finally:
        window.close()
