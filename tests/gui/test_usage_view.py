"""The Usage screen over fakes: charts build from a report with two apps and two users,
the summary tiles show the service's own totals, and a Member sees no numbers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from desktop.core.chat_models import AppConfig
from desktop.core.models import Role
from desktop.ui.context import Backend, UiContext
from desktop.ui.usage import MAX_SERIES, UsageView, day_range, per_day, token_series
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel, FixedClock
from tests.gui.conftest import open_direct, sign_in_as

DAY = 86_400


@pytest.fixture
def chats(workspace: Backend, fake_chat: FakeChatModel, clock: FixedClock, tmp_path: Path) -> None:
    """Three answers over two days on two apps by two users; one rated up, one down."""
    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 32)
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        ws.accounts.add_user(owner, "mo", Role.MEMBER, PEOPLE_PASSWORD)
        mo = ws.accounts.authenticate("mo", PEOPLE_PASSWORD)
        model_id = ws.models.register(owner, str(model), name="tiny").id
        hr = ws.apps.create(owner, AppConfig(name="hr", model_id=model_id)).id
        legal = ws.apps.create(owner, AppConfig(name="legal", model_id=model_id)).id
        fake_chat.replies = [["Twenty ", "days."], ["The ", "director ", "signs."], ["Yes."]]
        first = ws.chat.send(mo, hr, "How many vacation days?").turn.id
        ws.chat.send(owner, legal, "Who signs contracts?")
        clock.advance(DAY)
        last = ws.chat.send(mo, legal, "Is remote work allowed?").turn.id
        ws.logs.rate(mo, first, "up")
        ws.logs.rate(mo, last, "down")


def _service_report(workspace: Backend, days: int) -> Any:
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        return ws.usage.usage(owner, days=days)


def test_charts_build_and_tiles_match_the_service(
    qtbot: Any, chats: None, owner_ctx: UiContext, workspace: Backend
) -> None:
    # ``chats`` first: it advances the clock, which would end a session begun before
    view = UsageView(owner_ctx)
    qtbot.addWidget(view)
    assert view.charts == {}  # pyqtgraph waits for the first report
    view.activate()
    qtbot.waitUntil(lambda: view.report is not None and not owner_ctx.runner.busy)
    expected = _service_report(workspace, 30)
    assert view.report == expected
    assert view.pages.currentWidget() is view.body
    assert view.tiles["tokens"].value.text() == f"{expected.total_tokens:,}"
    assert view.tiles["turns"].value.text() == str(expected.total_turns) == "3"
    assert view.tiles["ratings"].value.text() == "2 ratings: 1 helpful · 1 not"
    assert set(view.charts) >= {"tokens", "turns", "ratings"}
    assert set(view.charts["series"]) == {"hr", "legal"}
    days = view.charts["tokens"].getAxis("bottom").days
    assert len(days) == 30 and days[-1] == expected.last_day
    assert view.charts["tokens"].getAxis("bottom").tickStrings([29.0, 3.5], 1, 1) == [
        expected.last_day[5:],
        "",
    ]

    qtbot.mouseClick(view.findChild(QPushButton, "byUser"), Qt.MouseButton.LeftButton)
    assert set(view.charts["series"]) == {"owner", "mo"}
    assert sum(map(sum, view.charts["series"].values())) == expected.total_tokens

    qtbot.mouseClick(view.findChild(QPushButton, "period7"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.report is not None and view.report.days == 7)
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)
    assert len(view.charts["tokens"].getAxis("bottom").days) == 7


def test_an_empty_period_says_what_to_do(qtbot: Any, owner_ctx: UiContext) -> None:
    view = UsageView(owner_ctx)
    qtbot.addWidget(view)
    view.activate()
    qtbot.waitUntil(lambda: view.report is not None and not owner_ctx.runner.busy)
    assert view.pages.currentWidget() is view.notice
    assert "No answers in the last 30 days" in view.notice.text()
    assert view.charts == {}


def test_a_member_sees_no_usage(
    qtbot: Any, chats: None, workspace: Backend, make_ctx: Callable[[], UiContext]
) -> None:
    ctx = make_ctx()
    ctx.attach()
    sign_in_as(ctx, workspace, "mo")
    view = UsageView(ctx)
    qtbot.addWidget(view)
    view.activate()
    assert view.pages.currentWidget() is view.notice
    assert "Only the Owner and Admins" in view.notice.text()
    assert not ctx.runner.busy and view.report is None


def test_series_beyond_the_palette_fold_into_others() -> None:
    days = day_range("2026-01-01", "2026-01-03")
    assert days == ["2026-01-01", "2026-01-02", "2026-01-03"]
    rows = [("2026-01-02", f"app{n}", n, 1) for n in range(MAX_SERIES + 2)]
    series = token_series(rows, days)
    assert len(series) == MAX_SERIES and "" in series
    assert sum(map(sum, series.values())) == sum(p + c for _, _, p, c in rows)
    assert per_day([("2026-01-03", 4)], days) == [0, 0, 4]


def test_a_helpful_share_needs_five_ratings_and_fewer_show_as_counts(
    qtbot: Any, chats: None, owner_ctx: UiContext
) -> None:
    view = UsageView(owner_ctx)
    qtbot.addWidget(view)
    view.activate()
    qtbot.waitUntil(lambda: view.report is not None and not owner_ctx.runner.busy)
    assert view.report is not None
    one = replace(view.report, ratings={"up": 1, "down": 0, "none": 2})
    view._fill_tiles(one)
    assert view.tiles["ratings"].value.text() == "1 rating: 1 helpful · 0 not"
    assert "%" not in view.tiles["ratings"].value.text()
    five = replace(view.report, ratings={"up": 4, "down": 1, "none": 0})
    view._fill_tiles(five)
    assert view.tiles["ratings"].value.text() == "80% helpful · 20% not (5 ratings)"


def test_count_axes_tick_only_at_whole_numbers(
    qtbot: Any, chats: None, owner_ctx: UiContext
) -> None:
    """Three answers must not be labelled 0.5, 1.5, 2.5 on the turns or ratings charts."""
    view = UsageView(owner_ctx)
    qtbot.addWidget(view)
    view.activate()
    qtbot.waitUntil(lambda: view.report is not None and not owner_ctx.runner.busy)
    for key in ("tokens", "turns", "ratings"):
        axis = view.charts[key].getAxis("left")
        for low, high, size in ((0.0, 1.1, 150.0), (0.0, 3.3, 300.0), (0.0, 2.3, 600.0)):
            values = [v for _, level in axis.tickValues(low, high, size) for v in level]
            assert values, (key, high)
            assert all(float(v).is_integer() for v in values), (key, high, values)
