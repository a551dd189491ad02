"""Workspace settings (the idle timeout) and each user's own preferences, through the
service: who may change what, input checks, and the audit events (real SQLCipher)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from desktop import app
from desktop.core.errors import AuthenticationFailed, InputError, PermissionDenied
from desktop.core.models import Actor, UserStatus
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel, FakeInspector, FixedClock, MemoryKeyStore
from tests.tools import fake_workspace


@pytest.fixture
def ws(tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock) -> Iterator[app.Workspace]:
    engines = app.Engines(FakeInspector(), FakeChatModel())
    with fake_workspace(
        tmp_path / "w", key_store, clock, engines, owner_password=PEOPLE_PASSWORD
    ) as w:
        yield w


def _events(ws: app.Workspace, action: str) -> list[dict[str, object]]:
    with ws.store.transaction() as tx:
        return [
            {"actor": e.actor, "object": e.object, **(e.payload or {})}
            for e in tx.audit.iter_events()
            if e.action == action
        ]


def test_idle_timeout_defaults_to_the_session_default(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    assert ws.settings.idle_timeout() == timedelta(minutes=15)
    for who in people.values():  # every signed-in user may read the workspace settings
        assert ws.settings.workspace_settings(who) == {"idle_timeout_minutes": 15}


def test_owner_and_admin_set_the_idle_timeout_audited(
    ws: app.Workspace, people: dict[str, Actor], clock: FixedClock
) -> None:
    ws.settings.set_idle_timeout(people["ada"], 30)
    assert ws.settings.idle_timeout() == timedelta(minutes=30)
    assert ws.settings.workspace_settings(people["mo"]) == {"idle_timeout_minutes": 30}
    ws.settings.set_idle_timeout(people["owner"], 480)
    assert ws.settings.idle_timeout() == timedelta(hours=8)
    events = _events(ws, "settings.idle_timeout")
    assert [(e["actor"], e["from"], e["to"]) for e in events] == [
        ("ada", 15, 30),
        ("owner", 30, 480),
    ]
    assert events[0]["object"] == "settings:idle_timeout_minutes"


@pytest.mark.parametrize("who", ["eve", "mo"])
def test_editor_and_member_may_not_change_the_idle_timeout(
    ws: app.Workspace, people: dict[str, Actor], who: str
) -> None:
    with pytest.raises(PermissionDenied):
        ws.settings.set_idle_timeout(people[who], 30)
    assert ws.settings.idle_timeout() == timedelta(minutes=15)
    assert _events(ws, "settings.idle_timeout") == []
    (denied,) = _events(ws, "permission.denied")
    assert denied["actor"] == who and denied["object"] == "settings:idle_timeout"


@pytest.mark.parametrize("minutes", [0, -5, 481, 10_000, True])
def test_idle_timeout_out_of_range_is_an_input_error(
    ws: app.Workspace, people: dict[str, Actor], minutes: int
) -> None:
    with pytest.raises(InputError, match="1 to 480") as caught:
        ws.settings.set_idle_timeout(people["owner"], minutes)
    assert "\n" not in caught.value.message and "choose" in caught.value.message
    assert ws.settings.idle_timeout() == timedelta(minutes=15)
    assert _events(ws, "settings.idle_timeout") == []


def test_idle_timeout_bounds_are_accepted(ws: app.Workspace, people: dict[str, Actor]) -> None:
    ws.settings.set_idle_timeout(people["owner"], 1)
    assert ws.settings.idle_timeout() == timedelta(minutes=1)
    ws.settings.set_idle_timeout(people["owner"], 480)
    assert ws.settings.idle_timeout() == timedelta(minutes=480)


def test_a_damaged_stored_timeout_falls_back_to_the_default(ws: app.Workspace) -> None:
    with ws.store.transaction() as tx:
        tx.settings.set("session.idle_timeout_minutes", "9999")
    assert ws.settings.idle_timeout() == timedelta(minutes=15)


def test_each_user_sets_only_their_own_preferences(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    mo, mia = people["mo"], people["mia"]
    assert ws.settings.preferences(mo) == {}  # nothing chosen: the GUI follows the system
    ws.settings.set_preference(mo, "language", "ja")
    ws.settings.set_preference(mo, "theme", "dark")
    ws.settings.set_preference(mo, "theme", "light")
    assert ws.settings.preferences(mo) == {"language": "ja", "theme": "light"}
    assert ws.settings.preferences(mia) == {}
    ws.settings.set_preference(people["owner"], "language", "en")
    assert ws.settings.preferences(people["owner"]) == {"language": "en"}
    assert ws.settings.preferences(mo) == {"language": "ja", "theme": "light"}
    events = _events(ws, "preference.changed")
    assert [(e["actor"], e["object"], e["key"], e["from"], e["to"]) for e in events] == [
        ("mo", "user:mo", "language", None, "ja"),
        ("mo", "user:mo", "theme", None, "dark"),
        ("mo", "user:mo", "theme", "dark", "light"),
        ("owner", "user:owner", "language", None, "en"),
    ]


def test_unknown_preferences_and_values_name_the_allowed_ones(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    mo = people["mo"]
    with pytest.raises(InputError, match="language, theme"):
        ws.settings.set_preference(mo, "font", "large")
    with pytest.raises(InputError, match="en, ja"):
        ws.settings.set_preference(mo, "language", "fr")
    with pytest.raises(InputError, match="system, light, dark"):
        ws.settings.set_preference(mo, "theme", "blue")
    assert ws.settings.preferences(mo) == {}
    assert _events(ws, "preference.changed") == []


def test_a_disabled_user_can_read_and_change_nothing(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    ws.accounts.set_status(people["owner"], "mo", UserStatus.DISABLED)
    with pytest.raises(AuthenticationFailed):
        ws.settings.set_preference(people["mo"], "theme", "dark")
    with pytest.raises(AuthenticationFailed):
        ws.settings.workspace_settings(people["mo"])
