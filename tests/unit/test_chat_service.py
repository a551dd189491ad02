"""Models, apps and chat through the services, with a fake chat model and inspector."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop import app
from desktop.core.chat_models import AppConfig, AppVisibility, LoadSettings, SamplingParams, Turn
from desktop.core.errors import (
    AlreadyExists,
    Cancelled,
    ContextOverflow,
    InputError,
    ModelChanged,
    ModelInvalid,
    NotFound,
    PermissionDenied,
)
from desktop.core.models import Actor, TraceFilter
from desktop.core.tasks import CancelToken
from tests.fakes import FakeChatModel


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.gguf"
    path.write_bytes(b"GGUF" + b"\0" * 64)
    return path


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
    assert (
        ws.apps.show(people["mo"], "helper", version=1).config.params.temperature
        == SamplingParams().temperature
    )
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


# ------------------------------------------------------------------ edit and resend


def _three_turns(ws: app.Workspace, people: dict[str, Actor], fake: FakeChatModel) -> list[Turn]:
    fake.replies = [["alpha-answer"], ["beta-answer"], ["gamma-answer"]]
    conv = None
    for text in ("alpha-question", "beta-question", "gamma-question"):
        conv = ws.chat.send(people["mo"], "helper", text, conversation_id=conv).conversation_id
    assert conv is not None
    return ws.chat.turns(people["mo"], conv)


def _stored_turns(ws: app.Workspace, conversation_id: int) -> list[Turn]:
    with ws.store.transaction() as tx:
        return tx.conversations.turns(conversation_id)


def test_edit_and_resend_branches_from_the_edited_message(
    ws: app.Workspace, people: dict[str, Actor], model_file: Path, fake: FakeChatModel
) -> None:
    _app(ws, people, model_file)
    first, second, third = _three_turns(ws, people, fake)
    conv = first.conversation_id
    fake.replies = [["delta-answer"]]
    res = ws.chat.edit_and_resend(people["mo"], conv, second.id, "beta-edited")
    prompt = fake.prompts[-1]
    assert "alpha-question" in prompt and "alpha-answer" in prompt and "beta-edited" in prompt
    for gone in ("beta-question", "beta-answer", "gamma-question", "gamma-answer"):
        assert gone not in prompt
    assert res.conversation_id == conv and res.turn.answer == "delta-answer"
    current = ws.chat.turns(people["mo"], conv)
    assert [(t.user_text, t.answer) for t in current] == [
        ("alpha-question", "alpha-answer"),
        ("beta-edited", "delta-answer"),
    ]
    stored = {t.id: t for t in _stored_turns(ws, conv)}  # nothing was destroyed
    assert [stored[t.id].superseded_by for t in (first, second, third)] == [
        None,
        res.turn.id,
        res.turn.id,
    ]
    trace = _events(ws, "chat.turn")[-1]
    assert trace["edited_from"] == second.id and trace["replaced_turns"] == [second.id, third.id]
    traced = [t["trace"]["turn_id"] for t in ws.logs.traces(people["owner"], TraceFilter())]
    assert {first.id, second.id, third.id, res.turn.id} <= set(traced)
    assert ws.logs.trace_passages(people["owner"], third.id) == []  # its trace still opens
    assert ws.workspace.verify_audit(people["owner"]).ok

    fake.replies = [["epsilon-answer"]]
    ws.chat.send(people["mo"], None, "next-question", conversation_id=conv)
    assert "gamma" not in fake.prompts[-1] and "delta-answer" in fake.prompts[-1]
    ws.chat.regenerate(people["mo"], conv)
    assert "gamma" not in fake.prompts[-1] and "beta-question" not in fake.prompts[-1]
    assert [t.user_text for t in ws.chat.turns(people["mo"], conv)] == [
        "alpha-question",
        "beta-edited",
        "next-question",
    ]


def test_edit_and_resend_only_takes_your_own_current_messages(
    ws: app.Workspace, people: dict[str, Actor], model_file: Path, fake: FakeChatModel
) -> None:
    _app(ws, people, model_file)
    first, second, _ = _three_turns(ws, people, fake)
    conv = first.conversation_id
    with pytest.raises(NotFound):
        ws.chat.edit_and_resend(people["mia"], conv, second.id, "hijack")
    other = ws.chat.send(people["mo"], "helper", "elsewhere")
    with pytest.raises(NotFound):
        ws.chat.edit_and_resend(people["mo"], conv, other.turn.id, "wrong conversation")
    with pytest.raises(InputError):
        ws.chat.edit_and_resend(people["mo"], conv, second.id, "   ")
    ws.chat.edit_and_resend(people["mo"], conv, first.id, "alpha-edited")
    with pytest.raises(NotFound):  # superseded now: edit what is shown
        ws.chat.edit_and_resend(people["mo"], conv, second.id, "stale")
    assert [t.user_text for t in ws.chat.turns(people["mo"], conv)] == ["alpha-edited"]
    assert len(_stored_turns(ws, conv)) == 4


def test_a_failed_or_stopped_edit_leaves_the_old_turns(
    ws: app.Workspace, people: dict[str, Actor], model_file: Path, fake: FakeChatModel
) -> None:
    _app(ws, people, model_file)
    turns = _three_turns(ws, people, fake)
    conv = turns[0].conversation_id

    def explode(_: int) -> None:
        raise RuntimeError("the model fell over")

    fake.replies, fake.on_piece = [["never"]], explode
    with pytest.raises(RuntimeError):
        ws.chat.edit_and_resend(people["mo"], conv, turns[1].id, "beta-edited")
    fake.on_piece = None
    stopped = CancelToken()
    stopped.cancel()  # a stop before the first token: nothing would replace them
    with pytest.raises(Cancelled):
        ws.chat.edit_and_resend(people["mo"], conv, turns[1].id, "beta-again", cancel=stopped)
    assert ws.chat.turns(people["mo"], conv) == turns
    assert _stored_turns(ws, conv) == turns  # no pending turn or superseded mark left
    failed = _events(ws, "chat.failed")
    assert [f["input"] for f in failed] == ["beta-edited", "beta-again"]
    assert not failed[0]["conversation_removed"]
    assert failed[1]["error"] == "stopped before the answer began"


def test_a_regenerate_stopped_before_its_first_token_keeps_the_answer(
    ws: app.Workspace, people: dict[str, Actor], model_file: Path, fake: FakeChatModel
) -> None:
    _app(ws, people, model_file)
    fake.replies = [["kept"]]
    res = ws.chat.send(people["mo"], "helper", "q")
    stopped = CancelToken()
    stopped.cancel()
    with pytest.raises(Cancelled):
        ws.chat.regenerate(people["mo"], res.conversation_id, cancel=stopped)
    assert [t.answer for t in ws.chat.turns(people["mo"], res.conversation_id)] == ["kept"]


# ------------------------------------------------------------------ feedback


def test_my_feedback_reads_your_own_ratings_of_current_answers(
    ws: app.Workspace, people: dict[str, Actor], model_file: Path, fake: FakeChatModel
) -> None:
    _app(ws, people, model_file)
    first, second, third = _three_turns(ws, people, fake)
    conv = first.conversation_id
    assert ws.chat.my_feedback(people["mo"], conv) == {}
    ws.logs.rate(people["mo"], first.id, "up")
    ws.logs.rate(people["mo"], third.id, "down", "too long")
    assert ws.chat.my_feedback(people["mo"], conv) == {first.id: "up", third.id: "down"}
    with pytest.raises(NotFound):
        ws.chat.my_feedback(people["mia"], conv)
    ws.chat.edit_and_resend(people["mo"], conv, second.id, "beta-edited")
    assert ws.chat.my_feedback(people["mo"], conv) == {first.id: "up"}
