"""Usage limits at the service layer: who may set them, and the gate every turn passes.

Real SQLCipher store and services; a fake chat model (tokens are words) and a fixed
clock the tests move, so windows reset without sleeping.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop import app
from desktop.core.errors import InputError, LimitReached, NotFound, PermissionDenied
from desktop.core.limits import LimitKind, LimitScope
from desktop.core.messages import Language, Surface
from desktop.core.models import Actor
from tests.fakes import FakeChatModel, FakeInspector, FixedClock, MemoryKeyStore
from tests.fakes_retrieval import HashEmbedder
from tests.tools import FAST_HASHER

DAY, MONTH = LimitKind.TOKENS_PER_DAY, LimitKind.TOKENS_PER_MONTH
RPM, AT_ONCE = LimitKind.REQUESTS_PER_MINUTE, LimitKind.CONCURRENT
USER, APP, MODEL = LimitScope.USER, LimitScope.APP, LimitScope.MODEL


def _events(ws: app.Workspace, action: str) -> list[dict]:  # type: ignore[type-arg]
    with ws.store.transaction() as tx:
        return [e.payload or {} for e in tx.audit.iter_events() if e.action == action]


def _turns(ws: app.Workspace) -> int:
    with ws.store.transaction() as tx:
        return len(tx.usage.turns_by_day("2000-01-01", None)) and sum(
            n for _, n in tx.usage.turns_by_day("2000-01-01", None)
        )


def test_a_user_over_the_daily_limit_is_refused_and_audited_another_is_not(
    ws: app.Workspace, people: dict[str, Actor], apps: dict[str, int], fake: FakeChatModel
) -> None:
    ws.limits.set_limits(people["owner"], USER, "mo", {DAY: 10})
    fake.replies = [["one", "two", "three"]] * 3
    first = ws.chat.send(people["mo"], "hr", "a question of some words")
    used = first.turn.usage["prompt_tokens"] + first.turn.usage["completion_tokens"]
    assert used >= 10
    before = _turns(ws)
    with pytest.raises(LimitReached) as refused:
        ws.chat.send(people["mo"], "hr", "again")
    assert refused.value.exit_code == 5
    message = refused.value.render(Language.EN, Surface.CLI)
    assert message == (
        f"the daily token limit of user 'mo' is reached ({used:,} of 10); it resets at "
        "2026-01-03 00:00:00 UTC; only the Owner can raise it (`kura limits set`)"
    )
    ja = refused.value.render(Language.JA, Surface.GUI)
    assert "1日のトークン上限" in ja and "オーナー" in ja and "\n" not in ja
    assert _turns(ws) == before  # nothing was stored for the refused turn
    (event,) = _events(ws, "limits.refused")
    assert event["scope"] == "user" and event["name"] == "mo"
    assert event["limit"] == "tokens_per_day" and event["used"] == used
    assert event["resets_at"] == "2026-01-03T00:00:00.000000Z"
    ws.chat.send(people["mia"], "hr", "another user is not limited")
    assert ws.workspace.verify_audit(people["owner"]).ok


def test_the_daily_limit_resets_at_midnight_utc(
    ws: app.Workspace,
    people: dict[str, Actor],
    apps: dict[str, int],
    fake: FakeChatModel,
    clock: FixedClock,
) -> None:
    ws.limits.set_limits(people["owner"], USER, "mo", {DAY: 1})
    ws.chat.send(people["mo"], "hr", "hello")
    with pytest.raises(LimitReached):
        ws.chat.send(people["mo"], "hr", "hello")
    clock.moment = datetime(2026, 1, 3, 0, 0, 0, tzinfo=UTC)
    ws.chat.send(people["mo"], "hr", "a new day")


def test_the_monthly_limit_counts_the_calendar_month(
    ws: app.Workspace, people: dict[str, Actor], apps: dict[str, int], clock: FixedClock
) -> None:
    clock.moment = datetime(2026, 1, 30, 12, tzinfo=UTC)
    ws.limits.set_limits(people["owner"], USER, "mo", {MONTH: 5, DAY: 1000})
    ws.chat.send(people["mo"], "hr", "one two three four five")
    clock.moment = datetime(2026, 1, 31, 23, 59, 59, tzinfo=UTC)  # another day, same month
    with pytest.raises(LimitReached, match="monthly token limit") as refused:
        ws.chat.send(people["mo"], "hr", "more")
    assert "resets at 2026-02-01 00:00:00 UTC" in refused.value.message
    clock.moment = datetime(2026, 2, 1, tzinfo=UTC)
    ws.chat.send(people["mo"], "hr", "February")
    clock.moment = datetime(2026, 12, 31, tzinfo=UTC)  # December's window ends next year
    ws.chat.send(people["mo"], "hr", "one two three four five")
    with pytest.raises(LimitReached, match=r"2027-01-01 00:00:00 UTC"):
        ws.chat.send(people["mo"], "hr", "more")


def test_requests_per_minute_reset_sixty_seconds_after_the_oldest(
    ws: app.Workspace, people: dict[str, Actor], apps: dict[str, int], clock: FixedClock
) -> None:
    ws.limits.set_limits(people["owner"], USER, "mo", {RPM: 2})
    first = clock.now()
    ws.chat.send(people["mo"], "hr", "one")
    clock.advance(20)
    ws.chat.send(people["mo"], "legal", "two")
    clock.advance(20)
    with pytest.raises(LimitReached, match="requests-per-minute") as refused:
        ws.chat.send(people["mo"], "hr", "three")
    assert "(2 of 2)" in refused.value.message
    assert "resets at 2026-01-02 03:05:05 UTC" in refused.value.message  # first + 60 s
    assert first.isoformat().startswith("2026-01-02T03:04:05")
    ws.chat.send(people["mia"], "hr", "others are not counted")
    clock.advance(20)  # the first has left the window
    ws.chat.send(people["mo"], "hr", "three")
    with pytest.raises(LimitReached):
        ws.chat.send(people["mo"], "hr", "four")


def test_an_app_limit_counts_every_user_of_the_app(
    ws: app.Workspace, people: dict[str, Actor], apps: dict[str, int]
) -> None:
    ws.limits.set_limits(people["owner"], APP, "hr", {DAY: 3})
    ws.chat.send(people["mo"], "hr", "five words in this one")
    with pytest.raises(LimitReached, match="of app 'hr'"):
        ws.chat.send(people["mia"], "hr", "hello")
    ws.chat.send(people["mia"], "legal", "another app is not limited")


def test_regenerate_and_edit_pass_the_same_gate(
    ws: app.Workspace, people: dict[str, Actor], apps: dict[str, int]
) -> None:
    result = ws.chat.send(people["mo"], "hr", "hello there")
    ws.limits.set_limits(people["owner"], USER, "mo", {DAY: 0})
    with pytest.raises(LimitReached):
        ws.chat.regenerate(people["mo"], result.conversation_id)
    with pytest.raises(LimitReached):
        ws.chat.edit_and_resend(people["mo"], result.conversation_id, result.turn.id, "edit")
    with pytest.raises(LimitReached):
        ws.chat.send(people["mo"], "hr", "quick", exhaustive=True)
    assert len(_events(ws, "limits.refused")) == 3


def test_answers_at_once_are_refused_beyond_the_limit_not_queued(
    ws: app.Workspace,
    people: dict[str, Actor],
    apps: dict[str, int],
    fake: FakeChatModel,
    key_store: MemoryKeyStore,
    clock: FixedClock,
    tmp_path: Path,
) -> None:
    """Two lanes (threads, each with its own connection, as in the GUI) share the gate."""
    ws.limits.set_limits(people["owner"], MODEL, "m", {AT_ONCE: 1})
    started, release = threading.Event(), threading.Event()

    def hold(i: int) -> None:
        if threading.current_thread() is not threading.main_thread():
            started.set()
            assert release.wait(30)

    fake.on_piece = hold
    fake.replies = [["slow", "answer"], ["quick"]]
    outcome: list[object] = []
    engines = app.Engines(FakeInspector(), fake, embedder_factory=lambda _: HashEmbedder(64))

    def other_lane() -> None:
        with app.open_workspace(
            tmp_path / "w", key_store=key_store, hasher=FAST_HASHER, clock=clock, engines=engines
        ) as lane:
            outcome.append(lane.chat.send(people["mia"], "legal", "first"))

    worker = threading.Thread(target=other_lane)
    worker.start()
    try:
        assert started.wait(30)
        with pytest.raises(LimitReached) as refused:
            ws.chat.send(people["mo"], "hr", "second")
        assert refused.value.code == "limits.busy"
        assert "(1 of 1 answers are being generated)" in refused.value.message
        (busy,) = ws.limits.status(people["ada"])
        assert (busy.kind, busy.used, busy.limit) == (AT_ONCE, 1, 1)
    finally:
        release.set()
        worker.join(30)
    assert outcome and not isinstance(outcome[0], BaseException)
    assert ws.limits.gate.running(MODEL, busy_model_id(ws)) == 0
    ws.chat.send(people["mo"], "hr", "now it has room")


def busy_model_id(ws: app.Workspace) -> int:
    with ws.store.transaction() as tx:
        model = tx.models.get_by_name("m")
        assert model is not None
        return model.id


def test_a_failed_turn_gives_its_place_back(
    ws: app.Workspace, people: dict[str, Actor], apps: dict[str, int], fake: FakeChatModel
) -> None:
    ws.limits.set_limits(people["owner"], USER, "mo", {AT_ONCE: 1})

    def boom(i: int) -> None:
        raise RuntimeError("the model fell over")

    fake.on_piece = boom
    with pytest.raises(RuntimeError):
        ws.chat.send(people["mo"], "hr", "hello")
    fake.on_piece = None
    ws.chat.send(people["mo"], "hr", "hello again")


def test_only_the_owner_sets_limits_and_admins_list_them(
    ws: app.Workspace, people: dict[str, Actor], apps: dict[str, int]
) -> None:
    for who in ("ada", "eve", "mo"):
        with pytest.raises(PermissionDenied):
            ws.limits.set_limits(people[who], USER, "mo", {DAY: 1})
        with pytest.raises(PermissionDenied):
            ws.limits.clear_limits(people[who], USER, "mo")
    for who in ("eve", "mo"):
        with pytest.raises(PermissionDenied):
            ws.limits.limits(people[who])
        with pytest.raises(PermissionDenied):
            ws.limits.status(people[who])
    assert len(_events(ws, "permission.denied")) == 10
    assert ws.limits.limits(people["ada"]) == []


def test_set_merges_clear_removes_and_both_are_audited(
    ws: app.Workspace, people: dict[str, Actor], apps: dict[str, int]
) -> None:
    owner = people["owner"]
    ws.limits.set_limits(owner, USER, "mo", {DAY: 100, RPM: 5})
    merged = ws.limits.set_limits(owner, USER, "MO", {DAY: 200, MONTH: 3000})
    assert merged.subject == "mo" and dict(merged.values) == {DAY: 200, MONTH: 3000, RPM: 5}
    ws.limits.set_limits(owner, APP, "hr", {DAY: 7})
    ws.limits.set_limits(owner, MODEL, "m", {AT_ONCE: 2})
    listed = [(limits.scope, limits.subject) for limits in ws.limits.limits(owner)]
    assert listed == [(USER, "mo"), (APP, "hr"), (MODEL, "m")]
    left = ws.limits.clear_limits(owner, USER, "mo", (RPM,))
    assert left is not None and dict(left.values) == {DAY: 200, MONTH: 3000}
    assert ws.limits.clear_limits(owner, USER, "mo") is None
    assert [limits.subject for limits in ws.limits.limits(owner)] == ["hr", "m"]
    sets = _events(ws, "limits.set")
    assert sets[1]["set"] == {"tokens_per_day": 200, "tokens_per_month": 3000}
    assert sets[1]["limits"] == {
        "tokens_per_day": 200,
        "tokens_per_month": 3000,
        "requests_per_minute": 5,
    }
    assert [e["cleared"] for e in _events(ws, "limits.cleared")] == [
        ["requests_per_minute"],
        [k.value for k in LimitKind],
    ]


def test_bad_limits_are_refused_with_one_line(
    ws: app.Workspace, people: dict[str, Actor], apps: dict[str, int]
) -> None:
    owner = people["owner"]
    with pytest.raises(InputError, match="the daily token limit must be a whole number"):
        ws.limits.set_limits(owner, USER, "mo", {DAY: -1})
    with pytest.raises(InputError, match="a model takes only limit on answers at once"):
        ws.limits.set_limits(owner, MODEL, "m", {DAY: 10})
    with pytest.raises(InputError, match="no limit given"):
        ws.limits.set_limits(owner, USER, "mo", {})
    with pytest.raises(NotFound, match="no user named 'nobody'"):
        ws.limits.set_limits(owner, USER, "nobody", {DAY: 1})
    with pytest.raises(NotFound, match="no app named"):
        ws.limits.clear_limits(owner, APP, "nope")
    assert ws.limits.limits(owner) == []


def test_status_shows_each_limit_against_its_consumption(
    ws: app.Workspace, people: dict[str, Actor], apps: dict[str, int], tmp_path: Path
) -> None:
    ws.limits.set_limits(people["owner"], USER, "mo", {DAY: 1000, RPM: 10})
    ws.limits.set_limits(people["owner"], APP, "legal", {MONTH: 50})
    result = ws.chat.send(people["mo"], "hr", "hello")
    tokens = result.turn.usage["prompt_tokens"] + result.turn.usage["completion_tokens"]
    shown = {(u.subject, u.kind): (u.used, u.limit) for u in ws.limits.status(people["ada"])}
    assert shown == {
        ("mo", DAY): (tokens, 1000),
        ("mo", RPM): (1, 10),
        ("legal", MONTH): (0, 50),
    }
