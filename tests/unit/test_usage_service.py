"""The usage report through the service: tokens per day by app and by user, turns per
day, ratings, the period and app filters, and who may read it (fake chat model and
clock, turns produced through ChatService; real SQLCipher)."""

from __future__ import annotations

from collections import Counter

import pytest

from desktop import app
from desktop.core.chat_models import Turn
from desktop.core.errors import InputError, NotFound, PermissionDenied
from desktop.core.models import Actor
from desktop.core.services.usage import UsageReport
from tests.fakes import FakeChatModel, FixedClock

DAY = 86_400
DAY1, DAY2 = "2026-01-02", "2026-01-03"  # the FixedClock starts 2026-01-02T03:04:05Z


def _ask(ws: app.Workspace, fake: FakeChatModel, who: Actor, app_id: int, words: int) -> Turn:
    fake.replies = [[f"w{i} " for i in range(words)]]
    return ws.chat.send(who, app_id, f"question with {words} words").turn


@pytest.fixture
def turns(
    ws: app.Workspace,
    people: dict[str, Actor],
    apps: dict[str, int],
    fake: FakeChatModel,
    clock: FixedClock,
) -> dict[str, Turn]:
    """Day 1: mo asks hr twice, mia asks legal once. Day 2: mia asks hr once."""
    mo, mia = people["mo"], people["mia"]
    made = {
        "mo_hr_1": _ask(ws, fake, mo, apps["hr"], 3),
        "mo_hr_2": _ask(ws, fake, mo, apps["hr"], 5),
        "mia_legal": _ask(ws, fake, mia, apps["legal"], 2),
    }
    clock.advance(DAY)
    made["mia_hr"] = _ask(ws, fake, mia, apps["hr"], 7)
    ws.logs.rate(mo, made["mo_hr_1"].id, "up")
    ws.logs.rate(mo, made["mo_hr_2"].id, "down", "wrong")
    ws.logs.rate(mia, made["mia_hr"].id, "up")
    return made


def _tokens(*found: Turn) -> tuple[int, int]:
    return (
        sum(t.usage["prompt_tokens"] for t in found),
        sum(t.usage["completion_tokens"] for t in found),
    )


def test_usage_adds_up_by_day_app_and_user(
    ws: app.Workspace, people: dict[str, Actor], turns: dict[str, Turn]
) -> None:
    t = turns
    assert [t[k].usage["completion_tokens"] for k in t] == [3, 5, 2, 7]
    assert all(turn.usage["prompt_tokens"] > 0 for turn in t.values())
    report = ws.usage.usage(people["ada"])
    assert isinstance(report, UsageReport)
    assert report.tokens_by_day_app == [
        (DAY1, "hr", *_tokens(t["mo_hr_1"], t["mo_hr_2"])),
        (DAY1, "legal", *_tokens(t["mia_legal"])),
        (DAY2, "hr", *_tokens(t["mia_hr"])),
    ]
    assert report.tokens_by_day_user == [
        (DAY1, "mia", *_tokens(t["mia_legal"])),
        (DAY1, "mo", *_tokens(t["mo_hr_1"], t["mo_hr_2"])),
        (DAY2, "mia", *_tokens(t["mia_hr"])),
    ]
    assert report.turns_by_day == [(DAY1, 3), (DAY2, 1)]
    assert report.ratings == {"up": 2, "down": 1, "none": 1}
    assert report.total_turns == 4
    prompt, completion = _tokens(*t.values())
    assert (report.total_prompt_tokens, report.total_completion_tokens) == (prompt, completion)
    assert completion == 17 and report.total_tokens == prompt + completion
    assert (report.days, report.first_day, report.last_day, report.app) == (
        30,
        "2025-12-05",
        DAY2,
        None,
    )


def test_usage_of_one_app(
    ws: app.Workspace, people: dict[str, Actor], apps: dict[str, int], turns: dict[str, Turn]
) -> None:
    t = turns
    report = ws.usage.usage(people["owner"], app_ref="hr")
    assert report.app == "hr"
    assert report.tokens_by_day_app == [
        (DAY1, "hr", *_tokens(t["mo_hr_1"], t["mo_hr_2"])),
        (DAY2, "hr", *_tokens(t["mia_hr"])),
    ]
    assert [(d, u) for d, u, _, _ in report.tokens_by_day_user] == [(DAY1, "mo"), (DAY2, "mia")]
    assert report.turns_by_day == [(DAY1, 2), (DAY2, 1)]
    assert report.ratings == {"up": 2, "down": 1, "none": 0}
    legal = ws.usage.usage(people["owner"], app_ref=apps["legal"])
    assert legal.app == "legal" and legal.turns_by_day == [(DAY1, 1)]
    with pytest.raises(NotFound):
        ws.usage.usage(people["owner"], app_ref="no such app")


def test_days_counts_back_from_today_by_the_clock(
    ws: app.Workspace, people: dict[str, Actor], turns: dict[str, Turn], clock: FixedClock
) -> None:
    ada = people["ada"]
    today = ws.usage.usage(ada, days=1)
    assert today.first_day == today.last_day == DAY2
    assert today.turns_by_day == [(DAY2, 1)] and today.total_turns == 1
    assert today.ratings == {"up": 1, "down": 0, "none": 0}
    assert ws.usage.usage(ada, days=2).total_turns == 4
    clock.advance(40 * DAY)
    empty = ws.usage.usage(ada)
    assert empty.total_turns == 0 and empty.turns_by_day == []
    assert empty.tokens_by_day_app == [] and empty.tokens_by_day_user == []
    assert empty.ratings == {"up": 0, "down": 0, "none": 0}
    assert ws.usage.usage(ada, days=365).total_turns == 4


@pytest.mark.parametrize("days", [0, -1, 3651, True])
def test_a_bad_period_is_an_input_error(
    ws: app.Workspace, people: dict[str, Actor], days: int
) -> None:
    with pytest.raises(InputError, match="1 to 3650 days"):
        ws.usage.usage(people["owner"], days=days)


def test_turns_still_being_answered_do_not_count(
    ws: app.Workspace, people: dict[str, Actor], turns: dict[str, Turn]
) -> None:
    with ws.store.transaction() as tx:
        tx.conversations.add_turn(
            conversation_id=turns["mo_hr_1"].conversation_id,
            user_text="pending",
            app_version=1,
            model_sha256="0" * 64,
            now="2026-01-03T10:00:00.000000Z",
        )
    assert ws.usage.usage(people["owner"]).total_turns == 4


@pytest.mark.parametrize("who", ["eve", "mo"])
def test_editors_and_members_may_not_see_usage(
    ws: app.Workspace, people: dict[str, Actor], turns: dict[str, Turn], who: str
) -> None:
    with pytest.raises(PermissionDenied):
        ws.usage.usage(people[who])
    with ws.store.transaction() as tx:
        actions = Counter(e.action for e in tx.audit.iter_events())
        denied = [e.actor for e in tx.audit.iter_events() if e.action == "permission.denied"]
    assert denied == [who] and actions["permission.denied"] == 1


def test_reading_usage_writes_no_audit_event(
    ws: app.Workspace, people: dict[str, Actor], turns: dict[str, Turn]
) -> None:
    with ws.store.transaction() as tx:
        before = tx.audit.count()
    ws.usage.usage(people["ada"])
    with ws.store.transaction() as tx:
        assert tx.audit.count() == before
