"""Models, apps and chat through the services, with a fake chat model and inspector."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import app
from desktop.core.chat_models import AppConfig, AppVisibility, LoadSettings, SamplingParams
from desktop.core.errors import (
    AlreadyExists,
    ContextOverflow,
    InputError,
    ModelChanged,
    ModelInvalid,
    NotFound,
    PermissionDenied,
)
from desktop.core.models import Actor
from desktop.core.tasks import CancelToken
from tests.fakes import FakeChatModel, FakeInspector, FixedClock, MemoryKeyStore
from tests.tools import fake_workspace

PW = "a long enough passphrase"


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.gguf"
    path.write_bytes(b"GGUF" + b"\0" * 64)
    return path


@pytest.fixture
def fake() -> FakeChatModel:
    return FakeChatModel()


@pytest.fixture
def ws(
    tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock, fake: FakeChatModel
) -> Iterator[app.Workspace]:
    engines = app.Engines(FakeInspector(), fake)
    with fake_workspace(tmp_path / "w", key_store, clock, engines, owner_password=PW) as w:
        yield w


def _events(ws: app.Workspace, action: str) -> list[dict]:  # type: ignore[type-arg]
    with ws.store.transaction() as tx:
        return [e.payload or {} for e in tx.audit.iter_events() if e.action == action]


def _app(ws: app.Workspace, people: dict[str, Actor], model_file: Path, **config: object):
    model = ws.models.register(people["owner"], str(model_file), name="tiny")
    cfg = AppConfig(name=str(config.pop("name", "helper")), model_id=model.id, **config)  # type: ignore[arg-type]
    return ws.apps.create(people["eve"], cfg)


def test_only_the_owner_registers_models(
    ws: app.Workspace, people: dict[str, Actor], model_file: Path, tmp_path: Path
) -> None:
    with pytest.raises(PermissionDenied):
        ws.models.register(people["ada"], str(model_file))
    record = ws.models.register(people["owner"], str(model_file), name="tiny")
    assert record.sha256 and record.size == model_file.stat().st_size
    with pytest.raises(AlreadyExists):
        ws.models.register(people["owner"], str(model_file), name="TINY")
    not_gguf = tmp_path / "notes.txt"
    not_gguf.write_text("hello")
    with pytest.raises(ModelInvalid):
        ws.models.register(people["owner"], str(not_gguf))
    assert [m.name for m in ws.models.list(people["mo"])] == ["tiny"]
    assert _events(ws, "model.registered")[0]["sha256"] == record.sha256


def test_a_changed_model_file_is_refused_before_loading(
    ws: app.Workspace, people: dict[str, Actor], model_file: Path, fake: FakeChatModel
) -> None:
    helper = _app(ws, people, model_file)
    ws.chat.send(people["mo"], helper.id, "first")
    model_file.write_bytes(b"GGUF" + b"\1" * 64)
    with pytest.raises(ModelChanged):
        ws.chat.send(people["mo"], helper.id, "second")
    assert len(fake.loads) == 1
    assert len(ws.chat.conversations(people["mo"])) == 1  # the failed turn left nothing


def test_a_same_size_swap_with_its_mtime_set_back_is_hashed_again(
    ws: app.Workspace, people: dict[str, Actor], model_file: Path, fake: FakeChatModel
) -> None:
    import os

    helper = _app(ws, people, model_file)
    fake.replies = [["ok"]]
    ws.chat.send(people["mo"], helper.id, "first")
    before = model_file.stat()
    swapped = model_file.with_name("swap.gguf")
    swapped.write_bytes(b"GGUF" + b"\2" * 64)  # same size, other bytes
    os.utime(swapped, ns=(before.st_atime_ns, before.st_mtime_ns))
    swapped.replace(model_file)
    assert (model_file.stat().st_size, model_file.stat().st_mtime_ns) == (
        before.st_size,
        before.st_mtime_ns,
    )
    with pytest.raises(ModelChanged):
        ws.chat.send(people["mo"], helper.id, "second")


def test_apps_are_versioned_and_managed_by_editors_up(
    ws: app.Workspace, people: dict[str, Actor], model_file: Path
) -> None:
    helper = _app(ws, people, model_file, instructions="You help {{team}}.")
    assert helper.version == 1 and helper.config.variables == ("team",)
    with pytest.raises(PermissionDenied):
        ws.apps.edit(people["mo"], helper.id, {"description": "x"})
    with pytest.raises(PermissionDenied):
        ws.apps.create(people["mo"], helper.config.with_changes(name="other"))
    edited = ws.apps.edit(people["eve"], "helper", {"params": SamplingParams(temperature=0.1)})
    assert edited.version == 2
    assert ws.apps.show(people["mo"], "helper", version=1).config.params.temperature == 0.7
    with pytest.raises(InputError):
        ws.apps.edit(people["eve"], "helper", {"bogus": 1})
    assert [e["version"] for e in _events(ws, "app.edited")] == [2]


def test_members_see_only_apps_visible_to_them(
    ws: app.Workspace, people: dict[str, Actor], model_file: Path
) -> None:
    secret = _app(
        ws, people, model_file, name="secret", visibility=AppVisibility.PARTIAL, members=("mia",)
    )
    assert [a.config.name for a in ws.apps.list(people["mo"])] == []
    assert [a.config.name for a in ws.apps.list(people["mia"])] == ["secret"]
    with pytest.raises(NotFound) as hidden:
        ws.chat.send(people["mo"], "secret", "hello")
    with pytest.raises(NotFound) as missing:
        ws.chat.send(people["mo"], "nonexistent", "hello")
    assert str(hidden.value).replace("secret", "X") == str(missing.value).replace(
        "nonexistent", "X"
    )
    ws.chat.send(people["mia"], secret.id, "hello")


def test_a_turn_is_stored_and_audited_with_its_trace(
    ws: app.Workspace, people: dict[str, Actor], model_file: Path, fake: FakeChatModel
) -> None:
    helper = _app(ws, people, model_file, instructions="Help {{team}}.")
    fake.replies = [["Hel", "lo ", "there"]]
    streamed: list[str] = []
    result = ws.chat.send(
        people["mo"], "helper", "hi", variables={"team": "ops"}, on_piece=streamed.append
    )
    assert streamed == ["Hel", "lo ", "there"] and result.turn.answer == "Hello there"
    assert result.turn.stop_reason == "stop" and result.turn.usage["completion_tokens"] == 3
    assert "Help ops." in fake.prompts[0]
    trace = _events(ws, "chat.turn")[0]
    assert trace["input"] == "hi" and trace["output"] == "Hello there"
    assert trace["model"]["sha256"] == ws.models.list(people["mo"])[0].sha256
    assert trace["app_version"] == helper.version and len(trace["prompt_sha256"]) == 64
    assert set(trace["timings"]) == {"ttft_ms", "total_ms", "tokens_per_s"}
    with pytest.raises(InputError):
        ws.chat.send(people["mo"], "helper", "hi")  # {{team}} missing
    assert ws.workspace.verify_audit(people["owner"]).ok


def test_conversations_continue_and_belong_to_their_user(
    ws: app.Workspace, people: dict[str, Actor], model_file: Path, fake: FakeChatModel
) -> None:
    _app(ws, people, model_file)
    fake.replies = [["one"], ["two"]]
    first = ws.chat.send(people["mo"], "helper", "q1")
    second = ws.chat.send(people["mo"], None, "q2", conversation_id=first.conversation_id)
    assert second.conversation_id == first.conversation_id
    assert "q1" in fake.prompts[1] and "one" in fake.prompts[1]
    with pytest.raises(NotFound):
        ws.chat.send(people["mia"], None, "steal", conversation_id=first.conversation_id)
    with pytest.raises(NotFound):
        ws.chat.turns(people["mia"], first.conversation_id)
    ws.chat.rename(people["mo"], first.conversation_id, "Renamed  chat")
    assert ws.chat.conversations(people["mo"])[0].title == "Renamed chat"
    assert ws.chat.conversations(people["mia"]) == []


def test_old_turns_are_dropped_to_fit_and_recorded(
    ws: app.Workspace, people: dict[str, Actor], model_file: Path, fake: FakeChatModel
) -> None:
    _app(ws, people, model_file, params=SamplingParams(max_tokens=20))
    fake.n_ctx = 60
    conv = None
    for i in range(8):
        fake.replies = [[f"answer{i} " * 3]]
        res = ws.chat.send(
            people["mo"], "helper", f"question {i} " + "pad " * 5, conversation_id=conv
        )
        conv = res.conversation_id
    assert res.turn.dropped_turns > 0
    assert "question 7" in fake.prompts[-1] and "question 0" not in fake.prompts[-1]
    assert fake.count_tokens(fake.prompts[-1]) <= 60 - 20
    assert _events(ws, "chat.turn")[-1]["dropped_turns"] == res.turn.dropped_turns
    with pytest.raises(ContextOverflow):
        ws.chat.send(people["mo"], "helper", "word " * 100)


def test_cancel_mid_stream_keeps_the_partial_answer(
    ws: app.Workspace, people: dict[str, Actor], model_file: Path, fake: FakeChatModel
) -> None:
    _app(ws, people, model_file)
    cancel = CancelToken()
    fake.replies = [["a", "b", "c", "d", "e"]]
    fake.on_piece = lambda i: cancel.cancel() if i == 1 else None
    res = ws.chat.send(people["mo"], "helper", "go", cancel=cancel)
    assert res.turn.answer == "ab" and res.turn.stop_reason == "cancelled"
    assert ws.chat.turns(people["mo"], res.conversation_id)[0].stop_reason == "cancelled"


def test_regenerate_replaces_the_last_answer(
    ws: app.Workspace, people: dict[str, Actor], model_file: Path, fake: FakeChatModel
) -> None:
    _app(ws, people, model_file)
    fake.replies = [["first"], ["second"]]
    res = ws.chat.send(people["mo"], "helper", "q")
    again = ws.chat.regenerate(people["mo"], res.conversation_id)
    turns = ws.chat.turns(people["mo"], res.conversation_id)
    assert [t.answer for t in turns] == ["second"] and again.turn.user_text == "q"
    assert _events(ws, "chat.turn")[-1]["regenerated_from"] == res.turn.id


def test_deleting_a_conversation_removes_its_turns(
    ws: app.Workspace, people: dict[str, Actor], model_file: Path, fake: FakeChatModel
) -> None:
    _app(ws, people, model_file)
    res = ws.chat.send(people["mo"], "helper", "CANARY-delete-me")
    ws.chat.delete(people["mo"], res.conversation_id)
    assert ws.chat.conversations(people["mo"]) == []
    with pytest.raises(NotFound):
        ws.chat.turns(people["mo"], res.conversation_id)


def test_model_settings_are_validated_and_audited(
    ws: app.Workspace, people: dict[str, Actor], model_file: Path
) -> None:
    ws.models.register(people["owner"], str(model_file), name="tiny")
    with pytest.raises(InputError):
        LoadSettings(n_gpu_layers="many")
    with pytest.raises(PermissionDenied):
        ws.models.configure(people["ada"], "tiny", LoadSettings(n_ctx=1024))
    ws.models.configure(people["owner"], "tiny", LoadSettings(n_ctx=1024, n_threads=2))
    assert ws.models.get(people["mo"], "tiny").settings.n_ctx == 1024
    with pytest.raises(InputError):
        SamplingParams.from_dict({"temperature": 0.2, "tempreature": 1})
