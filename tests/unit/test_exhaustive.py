"""Exhaustive mode ("list every …"): the model reads every chunk of the app's documents
in batches that fit its context, and the merged answer cites every item it lists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from desktop import app
from desktop.core.audit_actions import AuditAction
from desktop.core.chat_models import AppConfig, SamplingParams
from desktop.core.errors import InputError
from desktop.core.knowledge_models import KbVisibility
from desktop.core.models import Actor
from desktop.core.services.exhaustive_merge import Merge, parse_items
from desktop.core.tasks import CancelToken
from tests.fakes import ExtractingChatModel, MemorySource

ITEM = r"PART-\d{4}"
FILLER = (
    "The maintenance handbook describes the routine checks of the plant in some detail. "
    "Operators read it at the start of each shift and note anything unusual. "
)


@pytest.fixture
def fake() -> ExtractingChatModel:
    return ExtractingChatModel(ITEM, n_ctx=900)


def _seed(ws: app.Workspace, ada: Actor, docs: int = 10, per_doc: int = 4) -> tuple[int, set[str]]:
    """``docs`` documents with ``per_doc`` items each, far apart between filler text."""
    kb = ws.knowledge.create(ada, "parts", visibility=KbVisibility.ALL)
    items: set[str] = set()
    sources = []
    for d in range(docs):
        body = []
        for i in range(per_doc):
            item = f"PART-{d:02d}{i:02d}"
            items.add(item)
            body.append(f"{FILLER * 3}Replace the seal with {item} when it leaks. ")
        sources.append(MemorySource(f"manual-{d:02d}.txt", "".join(body).encode()))
    ws.knowledge.ingest(ada, kb.id, sources)
    return kb.id, items


def _app(
    ws: app.Workspace, people: dict[str, Actor], tmp_path: Path, kb_id: int, **kw: object
) -> int:
    model_file = tmp_path / "m.gguf"
    model_file.write_bytes(b"GGUF" + b"\0" * 32)
    model = ws.models.register(people["owner"], str(model_file), name="m")
    cfg = AppConfig(
        name="parts", model_id=model.id, kb_ids=(kb_id,), params=SamplingParams(max_tokens=200)
    )
    return ws.apps.create(people["eve"], cfg.with_changes(**kw)).id


def test_exhaustive_mode_lists_all_40_items_seeded_across_10_documents_with_citations(
    ws: app.Workspace, people: dict[str, Actor], fake: ExtractingChatModel, tmp_path: Path
) -> None:
    kb_id, seeded = _seed(ws, people["ada"])
    app_id = _app(ws, people, tmp_path, kb_id, exhaustive=True)
    progress: list[tuple[int, int | None]] = []
    streamed: list[str] = []

    result = ws.chat.send(
        people["mo"],
        app_id,
        "List every part number.",
        on_piece=streamed.append,
        progress=lambda done, total, _="": progress.append((done, total)),
    )

    turn = result.turn
    listed = re.findall(ITEM, turn.answer)
    assert sorted(listed) == sorted(seeded)  # all 40, each once
    batches = len(fake.prompts)
    assert batches > 1 and progress[0] == (0, batches) and progress[-1] == (batches, batches)
    assert "".join(streamed).rstrip("\n") == turn.answer
    for line in turn.answer.splitlines():  # every item cites the passage that holds it
        item = re.findall(ITEM, line)[0]
        markers = [int(m) for m in re.findall(r"\[(\d+)\]", line)]
        assert markers, line
        for marker in markers:
            assert item in ws.chat.passage(people["mo"], turn.id, marker).text
    with ws.store.transaction() as tx:
        events = [e for e in tx.audit.iter_events() if e.action == AuditAction.CHAT_TURN]
    assert len(events) == 1  # one turn, audited like any other
    trace = events[0].payload["exhaustive"]
    assert len(trace["batches"]) == batches == trace["batches_planned"]
    read = [tuple(c) for b in trace["batches"] for c in b["chunks"]]
    assert len(read) == len(set(read)) == trace["chunks"]  # every chunk, once
    assert trace["documents"] == 10 and trace["items"] == 40
    assert all(b["prompt_tokens"] <= fake.n_ctx - 200 for b in trace["batches"])
    assert turn.usage["prompt_tokens"] == sum(b["prompt_tokens"] for b in trace["batches"])


def test_a_single_question_can_ask_for_exhaustive_mode_and_an_exhaustive_app_can_decline(
    ws: app.Workspace, people: dict[str, Actor], fake: ExtractingChatModel, tmp_path: Path
) -> None:
    kb_id, seeded = _seed(ws, people["ada"], docs=3)
    app_id = _app(ws, people, tmp_path, kb_id)
    asked = ws.chat.send(people["mo"], app_id, "List every part.", exhaustive=True)
    assert sorted(re.findall(ITEM, asked.turn.answer)) == sorted(seeded)
    fake.prompts.clear()
    normal = ws.chat.send(people["mo"], app_id, "List every part.")
    assert len(fake.prompts) == 1 and "List EVERY item" not in fake.prompts[0]
    assert normal.turn.citations and all("score" in c for c in normal.turn.citations)


def test_stop_between_batches_keeps_the_items_merged_so_far(
    ws: app.Workspace, people: dict[str, Actor], fake: ExtractingChatModel, tmp_path: Path
) -> None:
    kb_id, _ = _seed(ws, people["ada"])
    app_id = _app(ws, people, tmp_path, kb_id, exhaustive=True)
    cancel = CancelToken()

    def progress(done: int, total: int | None, message: str = "") -> None:
        if done == 2:
            cancel.cancel()

    turn = ws.chat.send(people["mo"], app_id, "List every part.", cancel=cancel, progress=progress)
    assert turn.turn.stop_reason == "cancelled"
    assert len(fake.prompts) == 2 and re.findall(ITEM, turn.turn.answer)
    stored = ws.chat.turns(people["mo"], turn.conversation_id)[0]
    assert stored.answer == turn.turn.answer and stored.stop_reason == "cancelled"


def test_exhaustive_mode_without_documents_says_what_to_link(
    ws: app.Workspace, people: dict[str, Actor], fake: ExtractingChatModel, tmp_path: Path
) -> None:
    kb = ws.knowledge.create(people["ada"], "empty", visibility=KbVisibility.ALL)
    app_id = _app(ws, people, tmp_path, kb.id, exhaustive=True)
    with pytest.raises(InputError) as err:
        ws.chat.send(people["mo"], app_id, "List every part.")
    assert err.value.code == "chat.exhaustive_nothing_to_read"
    assert ws.chat.conversations(people["mo"]) == []  # nothing was started


def test_a_knowledge_base_the_user_may_not_read_is_not_read(
    ws: app.Workspace, people: dict[str, Actor], fake: ExtractingChatModel, tmp_path: Path
) -> None:
    kb_id, _ = _seed(ws, people["ada"], docs=2)
    private = ws.knowledge.create(people["ada"], "private")  # only ada reads it
    ws.knowledge.ingest(people["ada"], private.id, [MemorySource("s.txt", b"PART-9999 here")])
    app_id = _app(ws, people, tmp_path, kb_id, exhaustive=True)
    ws.apps.edit(people["ada"], app_id, {"kb_ids": [kb_id, private.id]})
    answer = ws.chat.send(people["mo"], app_id, "List every part.").turn.answer
    assert "PART-9999" not in answer and "PART-9999" not in "".join(fake.prompts)


def test_the_merge_folds_duplicates_and_keeps_every_citation() -> None:
    from desktop.core.knowledge_models import StoredChunk

    a = StoredChunk(1, 1, "a.txt", 1, 0, 0, 10, "the ＰＡＲＴ-0001 seal")
    b = StoredChunk(2, 1, "b.txt", 1, 0, 0, 10, "part-0001 and PART-0002")
    merge = Merge()
    merge.add(parse_items("Items:\n- PART-0001 [1]\n", [a]), 1)
    merge.add(parse_items("1. part-0001\n2. PART-0002 [1]\n3. NONE", [b]), 2)
    assert merge.answer() == "- PART-0001 [1][2]\n- PART-0002 [2]"
    assert [(c["marker"], c["document"]) for c in merge.citations()] == [
        (1, "a.txt"),
        (2, "b.txt"),
    ]


def test_a_passage_that_a_later_batch_cites_for_an_item_found_before_is_in_the_citations() -> None:
    """The turn stores citations() before it renders the answer: the marker an item
    gains in a later batch must be there already."""
    from desktop.core.knowledge_models import StoredChunk

    a = StoredChunk(1, 1, "a.txt", 1, 0, 0, 10, "PART-0001")
    b = StoredChunk(2, 1, "b.txt", 1, 0, 0, 10, "PART-0001")
    merge = Merge()
    merge.add(parse_items("- PART-0001 [1]", [a]), 1)
    merge.add(parse_items("- PART-0001 [1]", [b]), 2)
    cited = [(c["marker"], c["document"]) for c in merge.citations()]
    assert cited == [(1, "a.txt"), (2, "b.txt")]
    assert merge.answer() == "- PART-0001 [1][2]"


def test_apps_stored_before_the_setting_read_as_not_exhaustive() -> None:
    old = {"name": "x", "model_id": 1, "params": {}, "variable_labels": {}}
    assert AppConfig.from_dict(old).exhaustive is False
    assert "exhaustive" not in AppConfig.from_dict(old).as_dict()
    on = AppConfig.from_dict({**old, "exhaustive": True})
    assert on.exhaustive and AppConfig.from_dict(on.as_dict()) == on


def test_the_cli_asks_one_question_exhaustively_and_shows_batches_on_stderr(
    ws: app.Workspace,
    people: dict[str, Actor],
    fake: ExtractingChatModel,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from desktop.cli import build_parser
    from desktop.cli import chat as cli_chat
    from desktop.cli.apps import _changes

    args = build_parser().parse_args(["chat", "parts", "--message", "x", "--exhaustive"])
    assert args.exhaustive is True
    edit = build_parser().parse_args(["apps", "edit", "parts", "--exhaustive", "on"])
    base = AppConfig(name="parts", model_id=1)
    assert _changes(edit, base, ws, people["owner"]) == {"exhaustive": True}
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    cli_chat._batches(2, 12)
    cli_chat._batches(12, 12)  # done: nothing more to say
    assert capsys.readouterr().err == "すべての文書を読んでいます: バッチ 3 / 12\n"
