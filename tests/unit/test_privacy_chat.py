"""Personal-data policies through the services, with the fake detector injected: what
the model, the audit log and the database's chunks receive, and who may set them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import app
from desktop.core.chat_models import AppConfig
from desktop.core.errors import InputError, ModelProcessStopped, PermissionDenied
from desktop.core.knowledge_models import KbSettings, KbVisibility
from desktop.core.models import Actor, TraceFilter
from desktop.core.privacy import Term
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel, FakeInspector, FixedClock, MemoryKeyStore, MemorySource
from tests.fakes_pii import FakePiiDetector
from tests.fakes_retrieval import HashEmbedder
from tests.tools import fake_workspace
from tests.unit.privacy_support import privacy_workspace

MY_NUMBER = "123456789018"  # the canary: it must reach no log
NAME, PHONE, EMAIL = "山田太郎", "03-1234-5678", "taro@example.co.jp"
PASSAGE = f"担当者は{NAME}（{EMAIL}）です。ポンプの再起動は圧力を下げてから行います。"


@pytest.fixture
def detector() -> FakePiiDetector:
    return FakePiiDetector()


@pytest.fixture
def ws(
    tmp_path: Path,
    key_store: MemoryKeyStore,
    clock: FixedClock,
    fake: FakeChatModel,
    detector: FakePiiDetector,
) -> Iterator[app.Workspace]:
    with privacy_workspace(tmp_path / "w", key_store, clock, fake, detector) as w:
        yield w


def _app(ws: app.Workspace, people: dict[str, Actor], tmp_path: Path, **config: object) -> int:
    model_file = tmp_path / "m.gguf"
    model_file.write_bytes(b"GGUF" + b"\0" * 32)
    model = ws.models.register(people["owner"], str(model_file), name="m")
    cfg = AppConfig(name="helper", model_id=model.id, **config)  # type: ignore[arg-type]
    return ws.apps.create(people["eve"], cfg).id


def _kb(ws: app.Workspace, people: dict[str, Actor], **settings: object) -> int:
    kb = ws.knowledge.create(
        people["ada"],
        "manuals",
        visibility=KbVisibility.ALL,
        settings=KbSettings(**settings),  # type: ignore[arg-type]
    )
    ws.knowledge.ingest(people["ada"], kb.id, [MemorySource("pump.txt", PASSAGE.encode())])
    return kb.id


def _audit_text(ws: app.Workspace) -> str:
    with ws.store.transaction() as tx:
        return "\n".join(json.dumps(e.payload, ensure_ascii=False) for e in tx.audit.iter_events())


def _traces(ws: app.Workspace) -> list[dict]:  # type: ignore[type-arg]
    with ws.store.transaction() as tx:
        return [e.payload or {} for e in tx.audit.iter_events() if e.action == "chat.turn"]


def test_pseudonymised_prompt_holds_no_value_and_the_answer_shown_has_them_back(
    ws: app.Workspace,
    people: dict[str, Actor],
    fake: FakeChatModel,
    detector: FakePiiDetector,
    tmp_path: Path,
) -> None:
    kb_id = _kb(ws, people)
    app_id = _app(ws, people, tmp_path, kb_ids=(kb_id,), pseudonymise=True)
    message = f"{NAME}さん（電話 {PHONE}）の件で、ポンプの再起動について教えてください。"
    # the model answers with placeholders, one split across three streamed pieces
    fake.replies = [
        ["〔人", "名1〕さんへ: 〔電話番", "号1〕に", "連絡し、〔メールアドレス1", "〕へ [1]"]
    ]
    shown: list[str] = []
    first = ws.chat.send(people["mo"], app_id, message, on_piece=shown.append)

    prompt = fake.prompts[0]
    for value in (NAME, PHONE, EMAIL):
        assert value not in prompt
    assert "〔人名1〕" in prompt and "〔電話番号1〕" in prompt and "〔メールアドレス1〕" in prompt
    expected = f"{NAME}さんへ: {PHONE}に連絡し、{EMAIL}へ [1]"
    assert "".join(shown) == expected == first.turn.answer
    assert not any("〔" in piece for piece in shown)
    assert ws.chat.turns(people["mo"], first.conversation_id)[0].user_text == message

    # the next turn: the history is masked too, with the same numbers
    fake.replies = [["〔人名1〕さんですね"]]
    second = ws.chat.send(people["mo"], app_id, "もう一度", conversation_id=first.conversation_id)
    assert NAME not in fake.prompts[1] and "〔人名1〕" in fake.prompts[1]
    assert second.turn.answer == f"{NAME}さんですね"
    # the model's only view of the values was through placeholders; the table stays in
    # the encrypted database, and the trace counts what was masked
    with ws.store.transaction() as tx:
        table = tx.conversations.pseudonyms(first.conversation_id)
    assert table is not None and NAME in table
    assert _traces(ws)[0]["pii"]["masked"] == {
        "EMAIL_ADDRESS": 1,
        "PERSON": 1,
        "PHONE_NUMBER": 1,
    }
    assert EMAIL not in json.dumps(_traces(ws), ensure_ascii=False)


def test_minimised_logs_keep_no_canary_in_any_audit_payload(
    ws: app.Workspace, people: dict[str, Actor], fake: FakeChatModel, tmp_path: Path
) -> None:
    app_id = _app(ws, people, tmp_path, minimise_logs=True, instructions="Help {{who}}.")
    fake.replies = [[f"控えました: {MY_NUMBER}"]]
    message = f"私のマイナンバーは{MY_NUMBER}です。{NAME}"
    result = ws.chat.send(people["mo"], app_id, message, variables={"who": NAME})

    assert MY_NUMBER in fake.prompts[0]  # minimising logs alone does not mask the prompt
    audit = _audit_text(ws)
    assert MY_NUMBER not in audit and NAME not in audit
    assert "〔マイナンバー1〕" in audit
    (trace,) = _traces(ws)
    assert trace["pii"]["masked"] == {"MY_NUMBER": 1, "PERSON": 1}
    assert trace["input"] == "私のマイナンバーは〔マイナンバー1〕です。〔人名1〕"
    # the user's own conversation still shows what they typed, and the answer
    (turn,) = ws.chat.turns(people["mo"], result.conversation_id)
    assert turn.user_text == message and MY_NUMBER in turn.answer


@pytest.mark.parametrize("first_piece", [True, False])
def test_a_turn_the_model_fails_keeps_no_value_in_the_log_and_restores_what_it_kept(
    ws: app.Workspace,
    people: dict[str, Actor],
    fake: FakeChatModel,
    tmp_path: Path,
    first_piece: bool,
) -> None:
    app_id = _app(ws, people, tmp_path, pseudonymise=True)
    fake.replies = [["〔人名1〕さん、〔マイナン", "バー1〕は"]]

    def dies(i: int) -> None:
        if i == (1 if first_piece else 0):
            raise ModelProcessStopped("models.host_stopped_before_answer")

    fake.on_piece = dies
    with pytest.raises(ModelProcessStopped):
        ws.chat.send(people["mo"], app_id, f"{NAME}の番号は{MY_NUMBER}です")
    audit = _audit_text(ws)
    assert MY_NUMBER not in audit and NAME not in audit
    with ws.store.transaction() as tx:
        failed = [e.payload for e in tx.audit.iter_events() if e.action == "chat.failed"]
    assert len(failed) == 1 and failed[0] is not None
    assert failed[0]["input"] == "〔人名1〕の番号は〔マイナンバー1〕です"
    conversations = ws.chat.conversations(people["mo"])
    if first_piece:  # the words before the failure are kept, with the values back
        (turn,) = ws.chat.turns(people["mo"], conversations[0].id)
        assert turn.answer == f"{NAME}さん、〔マイナン"  # a half placeholder stays as it was
    else:
        assert conversations == []


def test_feedback_under_minimised_logs_keeps_pseudonyms(
    ws: app.Workspace, people: dict[str, Actor], fake: FakeChatModel, tmp_path: Path
) -> None:
    app_id = _app(ws, people, tmp_path, minimise_logs=True)
    turn = ws.chat.send(people["mo"], app_id, f"{NAME}の番号は{MY_NUMBER}").turn
    ws.logs.rate(people["mo"], turn.id, "down", f"{NAME}さんの{MY_NUMBER}が違う")
    ws.logs.annotate(people["ada"], turn.id, f"Call {PHONE}, not {MY_NUMBER}.")
    audit = _audit_text(ws)
    assert MY_NUMBER not in audit and NAME not in audit and PHONE not in audit
    assert "〔人名1〕さんの〔マイナンバー1〕が違う" in audit  # the turn's numbers
    (trace,) = ws.logs.traces(people["ada"], TraceFilter())
    assert MY_NUMBER not in json.dumps(trace, ensure_ascii=False)


def test_redaction_at_ingestion_leaves_no_value_in_the_stored_chunks(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    ws.privacy.set_terms(people["owner"], [Term("ポンプ")])
    kb_id = _kb(ws, people, redact_pii=True)
    with ws.store.transaction() as tx:  # read with the key, through the store
        (version,) = tx.knowledge.list_documents(kb_id)
        chunk = tx.knowledge.version_chunk(kb_id, "pump.txt", version.version, 0)
    assert chunk is not None
    assert NAME not in chunk.text and EMAIL not in chunk.text and "ポンプ" not in chunk.text
    assert "〔人名1〕" in chunk.text and "〔登録語1〕" in chunk.text
    found = ws.knowledge.search(people["ada"], kb_id, "圧力 再起動")
    assert found and all(NAME not in h.chunk.text for h in found)
    # read with the key, every row of every table: the original file is not kept
    # either (the knowledge base did not ask for it)
    conn = ws.store._live()
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    for table in tables:
        for row in conn.execute(f'SELECT * FROM "{table}"').fetchall():
            cells = [c.decode("utf-8", "replace") if isinstance(c, bytes) else str(c) for c in row]
            assert not any(NAME in c or EMAIL in c for c in cells), table


def test_redaction_masks_headings_too(ws: app.Workspace, people: dict[str, Actor]) -> None:
    kb = ws.knowledge.create(people["ada"], "notes", settings=KbSettings(redact_pii=True))
    text = f"# {NAME}との面談\n\n再起動の手順を確認した。\n\n# 次回\n\n圧力を下げる。\n"
    ws.knowledge.ingest(people["ada"], kb.id, [MemorySource("notes.md", text.encode())])
    with ws.store.transaction() as tx:
        chunk = tx.knowledge.version_chunk(kb.id, "notes.md", 1, 0)
    assert chunk is not None and "〔人名1〕との面談" in chunk.heading + chunk.text
    assert NAME not in chunk.heading and NAME not in chunk.text


def test_without_a_detector_a_policy_refuses_and_nothing_reaches_the_model(
    tmp_path: Path,
    key_store: MemoryKeyStore,
    clock: FixedClock,
    fake: FakeChatModel,
) -> None:
    engines = app.Engines(FakeInspector(), fake, embedder_factory=lambda _: HashEmbedder(64))
    with fake_workspace(
        tmp_path / "w", key_store, clock, engines, owner_password=PEOPLE_PASSWORD
    ) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        app_id = _app(ws, {"owner": owner, "eve": owner}, tmp_path)
        ws.privacy.set_defaults(owner, pseudonymise=True)
        with pytest.raises(InputError) as caught:
            ws.chat.send(owner, app_id, f"{NAME}について")
        assert caught.value.code == "privacy.detector_missing"
        assert fake.prompts == [] and ws.chat.conversations(owner) == []
        kb = ws.knowledge.create(owner, "kb", settings=KbSettings(redact_pii=True))
        with pytest.raises(InputError) as refused:
            ws.knowledge.ingest(owner, kb.id, [MemorySource("a.txt", PASSAGE.encode())])
        assert refused.value.code == "privacy.redact_needs_detector"


def test_an_app_setting_overrides_the_workspace_default(
    ws: app.Workspace, people: dict[str, Actor], fake: FakeChatModel, tmp_path: Path
) -> None:
    app_id = _app(ws, people, tmp_path)
    ws.privacy.set_defaults(people["owner"], pseudonymise=True)
    ws.chat.send(people["mo"], app_id, f"{NAME}について")
    assert NAME not in fake.prompts[-1]
    ws.apps.edit(people["eve"], app_id, {"pseudonymise": False})
    ws.chat.send(people["mo"], app_id, f"{NAME}について")
    assert NAME in fake.prompts[-1]


def test_a_policy_change_is_audited_in_its_own_transaction(
    ws: app.Workspace, people: dict[str, Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws.privacy.set_defaults(people["owner"], minimise_logs=True)
    with ws.store.transaction() as tx:
        (event,) = [e for e in tx.audit.iter_events() if e.action == "privacy.policy_changed"]
    assert event.payload == {
        "from": {"minimise_logs": False, "pseudonymise": False},
        "to": {"minimise_logs": True, "pseudonymise": False},
    }

    from desktop.core.services import base

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("the audit log cannot be written")

    monkeypatch.setattr(base, "system_audit", broken)
    with pytest.raises(OSError):
        ws.privacy.set_defaults(people["owner"], pseudonymise=True)
    monkeypatch.undo()
    # the change and its event commit together or not at all
    assert ws.privacy.defaults(people["owner"]).pseudonymise is False


def test_terms_are_audited_by_count_and_never_by_value(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    kept = ws.privacy.set_terms(
        people["owner"], [Term("Project Blue Sky"), Term(r"CUST-\d{6}", regex=True)]
    )
    assert [t.text for t in kept] == ["Project Blue Sky", r"CUST-\d{6}"]
    audit = _audit_text(ws)
    assert "Blue Sky" not in audit and '"to": 2' in audit
    with pytest.raises(InputError):
        ws.privacy.set_terms(people["owner"], [Term("([", regex=True)])
    assert len(ws.privacy.terms(people["owner"])) == 2


@pytest.mark.parametrize("who", ["mo", "eve", "ada"])
def test_only_the_owner_changes_the_workspace_default_or_terms(
    ws: app.Workspace, people: dict[str, Actor], who: str
) -> None:
    with pytest.raises(PermissionDenied):
        ws.privacy.set_defaults(people[who], pseudonymise=True)
    with pytest.raises(PermissionDenied):
        ws.privacy.set_terms(people[who], [Term("secret")])
    assert ws.privacy.defaults(people[who]).pseudonymise is False
    with ws.store.transaction() as tx:
        denied = [e for e in tx.audit.iter_events() if e.action == "permission.denied"]
    assert [e.actor for e in denied] == [who, who]


@pytest.mark.parametrize("exhaustive", [False, True])
def test_minimised_logs_mask_the_names_and_headings_of_the_documents_a_turn_read(
    ws: app.Workspace,
    people: dict[str, Actor],
    fake: FakeChatModel,
    tmp_path: Path,
    exhaustive: bool,
) -> None:
    """A document's name and its headings may name a person the passage itself does not:
    the trace's citations (and an exhaustive reading's batch list) keep pseudonyms,
    while the turn the user sees cites the real document."""
    kb = ws.knowledge.create(people["ada"], "notes", visibility=KbVisibility.ALL)
    text = "# 鈴木一郎との面談\n\nポンプの再起動は圧力を下げてから行います。\n"
    document = "佐藤花子_面談記録.md"
    ws.knowledge.ingest(people["ada"], kb.id, [MemorySource(document, text.encode())])
    app_id = _app(ws, people, tmp_path, kb_ids=(kb.id,), minimise_logs=True)
    fake.replies = [["圧力を下げます [1]"]]
    result = ws.chat.send(people["mo"], app_id, "ポンプの再起動は？", exhaustive=exhaustive)

    with ws.store.transaction() as tx:  # the ingestion's own event names its file
        chats = [e.payload for e in tx.audit.iter_events() if e.action.startswith("chat.")]
    logged = json.dumps(chats, ensure_ascii=False)
    assert "佐藤花子" not in logged and "鈴木一郎" not in logged
    (trace,) = _traces(ws)
    assert trace["retrieved"] and "〔人名" in trace["retrieved"][0]["document"]
    assert trace["pii"]["masked"]["PERSON"] == 2
    if exhaustive:
        assert "〔人名" in trace["exhaustive"]["batches"][0]["chunks"][0][1]
    (turn,) = ws.chat.turns(people["mo"], result.conversation_id)
    assert turn.citations[0]["document"] == document
