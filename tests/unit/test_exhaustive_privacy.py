"""Exhaustive mode under *pseudonymise before the model*: every batch shows the model
placeholders from the turn's one pseudonym table (passages, headings, documents' names,
instructions, question), the merged answer shows the values back, also as it streams,
and the log keeps none (the fake detector, injected)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import app
from desktop.core.chat_models import AppConfig, SamplingParams
from desktop.core.knowledge_models import KbVisibility
from desktop.core.models import Actor
from tests.fakes import ExtractingChatModel, FixedClock, MemoryKeyStore, MemorySource
from tests.fakes_pii import FakePiiDetector
from tests.unit.privacy_support import privacy_workspace

FILLER = (
    "The maintenance handbook describes the routine checks of the plant in some detail. "
    "Operators read it at the start of each shift and note anything unusual. "
)
#: Who each document names as its contact (the fake detector knows these names); the
#: first name is in two documents far apart, so in two batches.
CONTACTS = [
    ("山田太郎", "03-1234-5678"),
    ("佐藤花子", "06-5555-1001"),
    ("Alice Smith", "045-222-3333"),
    ("鈴木一郎", "011-444-5555"),
    ("Bob Jones", "092-777-8888"),
    ("山田太郎", "03-1234-5678"),
]
NAMES = {name for name, _ in CONTACTS}
PHONES = {phone for _, phone in CONTACTS}
VALUES = NAMES | PHONES | {"John Smith"}
#: Placeholders: 〔人名1〕 in Japanese text, <PERSON_1> in English text.
PLACEHOLDER = r"〔[^〕]+〕|<[A-Z_]+_\d+>"


@pytest.fixture
def detector() -> FakePiiDetector:
    return FakePiiDetector()


@pytest.fixture
def fake() -> ExtractingChatModel:
    """A perfect reader of what it is shown: it lists every placeholder of each passage."""
    return ExtractingChatModel(PLACEHOLDER, n_ctx=900)


@pytest.fixture
def ws(
    tmp_path: Path,
    key_store: MemoryKeyStore,
    clock: FixedClock,
    fake: ExtractingChatModel,
    detector: FakePiiDetector,
) -> Iterator[app.Workspace]:
    with privacy_workspace(tmp_path / "w", key_store, clock, fake, detector) as w:
        yield w


def _app(ws: app.Workspace, people: dict[str, Actor], tmp_path: Path) -> int:
    kb = ws.knowledge.create(people["ada"], "contacts", visibility=KbVisibility.ALL)
    sources = [
        MemorySource(
            f"{'John Smith' if d == 2 else 'memo'}-{d}.txt",
            f"{FILLER * 4}Call {name} at {phone} when the pump stops. {FILLER}".encode(),
        )
        for d, (name, phone) in enumerate(CONTACTS)
    ]
    ws.knowledge.ingest(people["ada"], kb.id, sources)
    model_file = tmp_path / "m.gguf"
    model_file.write_bytes(b"GGUF" + b"\0" * 32)
    model = ws.models.register(people["owner"], str(model_file), name="m")
    config = AppConfig(
        name="contacts",
        model_id=model.id,
        kb_ids=(kb.id,),
        params=SamplingParams(max_tokens=200),
        instructions="You help 佐藤花子 find contacts.",
        exhaustive=True,
        pseudonymise=True,
    )
    return ws.apps.create(people["eve"], config).id


def test_an_exhaustive_turn_shows_the_model_placeholders_and_the_user_the_values(
    ws: app.Workspace,
    people: dict[str, Actor],
    fake: ExtractingChatModel,
    tmp_path: Path,
) -> None:
    app_id = _app(ws, people, tmp_path)
    streamed: list[str] = []
    result = ws.chat.send(
        people["mo"],
        app_id,
        "List every contact, like 山田太郎 at 03-1234-5678.",
        on_piece=streamed.append,
    )

    assert len(fake.prompts) > 1  # several batches
    for prompt in fake.prompts:  # no value reached the model, in any batch
        assert not [v for v in VALUES if v in prompt], prompt
        assert re.search(PLACEHOLDER, prompt)
    # one table for the turn: a value has one placeholder in every batch
    shown = "\n".join(fake.prompts)
    assert len(set(re.findall(rf"Call ({PLACEHOLDER})", shown))) == len(NAMES)

    answer = result.turn.answer
    lines = answer.splitlines()
    assert not re.search(PLACEHOLDER, answer)
    # streamed as each batch merged (a later batch's citation of an item listed before
    # is in the answer only), with the values back
    stream = "".join(streamed)
    assert not re.search(PLACEHOLDER, stream)
    assert {ln.split(" [")[0] for ln in stream.splitlines()} == {ln.split(" [")[0] for ln in lines}
    for value in NAMES | PHONES | {"John Smith"}:  # each once: merged across batches
        assert sum(value in line.split(" [")[0] for line in lines) == 1, (value, answer)
    # the items cite the passages that hold the values; the citations keep the real
    # names of the documents
    yamada = next(line for line in lines if line.startswith("- 山田太郎"))
    markers = [int(m) for m in re.findall(r"\[(\d+)\]", yamada)]
    assert len(markers) == 2
    for marker in markers:
        assert "山田太郎" in ws.chat.passage(people["mo"], result.turn.id, marker).text
    documents = {c["document"] for c in result.turn.citations}
    assert "John Smith-2.txt" in documents

    with ws.store.transaction() as tx:  # the turn's log keeps none of the values
        events = [e for e in tx.audit.iter_events() if e.action.startswith("chat.")]
    audit = "\n".join(json.dumps(e.payload, ensure_ascii=False) for e in events)
    assert not [v for v in NAMES | PHONES if v in audit]
    (trace,) = [e.payload for e in events if e.action == "chat.turn"]
    assert trace is not None
    assert trace["pii"]["masked"]["PERSON"] >= len(NAMES) and trace["exhaustive"]["items"] >= 1
