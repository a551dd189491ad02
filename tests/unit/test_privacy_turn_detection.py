"""Two detector calls per chat turn at most: the prompt's texts (instructions, retrieved
passages, history, message) and the texts of the question the log keeps (title,
variables) go to the detector together before the model runs; under *minimise logs* the
finished answer is read once more, so a value only the answer holds is masked too."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import app
from desktop.core.models import Actor
from desktop.core.pii import PiiType
from desktop.core.privacy import Term
from desktop.core.pseudonymise import Pseudonyms
from tests.fakes import FakeChatModel, FixedClock, MemoryKeyStore
from tests.fakes_pii import FakePiiDetector
from tests.unit.privacy_support import privacy_workspace
from tests.unit.test_privacy_chat import (
    EMAIL,
    MY_NUMBER,
    NAME,
    PHONE,
    _app,
    _audit_text,
    _kb,
)

LONG = (
    f"{NAME}さん（電話 {PHONE}）の件で、ポンプの再起動について、圧力を下げる手順と"
    "点検記録の残し方を、作業の前と後に分けて、順番にできるだけ詳しく教えてください。"
)


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


def test_a_pseudonymised_turn_calls_the_detector_once_before_the_model_and_once_after(
    ws: app.Workspace,
    people: dict[str, Actor],
    fake: FakeChatModel,
    detector: FakePiiDetector,
    tmp_path: Path,
) -> None:
    kb_id = _kb(ws, people)
    app_id = _app(
        ws, people, tmp_path, kb_ids=(kb_id,), pseudonymise=True, instructions="Help {{who}}."
    )
    assert len(" ".join(LONG.split())) > 80  # the title is not the message
    # the instructions come first: the variable's name is 〔人名1〕, the passage's 〔人名2〕
    fake.replies = [["〔人名2〕さんへ [1]"], ["〔電話番号1〕です"], ["〔人名2〕さん、再度"]]
    before, seen = detector.calls, len(detector.seen)
    first = ws.chat.send(people["mo"], app_id, LONG, variables={"who": "鈴木一郎"})
    assert detector.calls == before + 2
    # passages, message, title, the variable and the document's name were all in the
    # first call (the second reads the answer alone)
    texts = detector.seen[seen:-1]
    assert any(EMAIL in t for t in texts) and "鈴木一郎" in texts and "pump.txt" in texts
    conv = first.conversation_id
    ws.chat.send(people["mo"], app_id, "番号をもう一度", conversation_id=conv)
    assert detector.calls == before + 4  # the history is read in the turn's first call too
    ws.chat.regenerate(people["mo"], conv)
    assert detector.calls == before + 6
    assert NAME not in fake.prompts[-1] and "〔人名2〕" in fake.prompts[-1]
    turns = ws.chat.turns(people["mo"], conv)
    assert turns[0].answer == f"{NAME}さんへ [1]" and turns[-1].answer == f"{NAME}さん、再度"
    audit = _audit_text(ws)
    assert all(v not in audit for v in (NAME, PHONE, EMAIL, "鈴木一郎")), audit


def test_minimised_logs_mask_what_the_answer_repeats_and_what_only_the_answer_holds(
    ws: app.Workspace,
    people: dict[str, Actor],
    fake: FakeChatModel,
    detector: FakePiiDetector,
    tmp_path: Path,
) -> None:
    kb_id = _kb(ws, people)
    app_id = _app(ws, people, tmp_path, kb_ids=(kb_id,), minimise_logs=True)
    owner = people["owner"]
    ws.privacy.set_terms(owner, [Term("PRJ-[0-9]{3}", regex=True)])
    # the answer names the passage's e-mail (in another case) and a term's match
    fake.replies = [[f"{EMAIL.upper()} に PRJ-042 の件で [1] {PHONE}"]]
    before = detector.calls
    result = ws.chat.send(people["mo"], app_id, f"{MY_NUMBER} の担当者は？")
    assert detector.calls == before + 2  # the prompt's texts, then the answer
    assert EMAIL in fake.prompts[0]  # minimising the log alone does not mask the prompt
    assert result.turn.answer.startswith(EMAIL.upper())  # the user's view keeps it
    with ws.store.transaction() as tx:
        (trace,) = [e.payload for e in tx.audit.iter_events() if e.action == "chat.turn"]
    assert trace is not None
    assert trace["output"] == "〔メールアドレス1〕 に 〔登録語1〕 の件で [1] 〔電話番号1〕"
    text = json.dumps(trace, ensure_ascii=False)
    assert EMAIL.upper() not in text and "PRJ-042" not in text and MY_NUMBER not in text
    assert PHONE not in text  # only the answer held it


def test_a_table_finds_its_values_in_any_case_the_longest_first() -> None:
    table = Pseudonyms()
    table.number(PiiType.PERSON, "Alice Smith")
    table.number(PiiType.PERSON, "Alice")
    table.number(PiiType.EMAIL_ADDRESS, "a@example.org")
    found = table.find("ALICE SMITH wrote to A@Example.org; alice too")
    assert [(e.type.value, e.text) for e in found] == [
        ("PERSON", "ALICE SMITH"),
        ("EMAIL_ADDRESS", "A@Example.org"),
        ("PERSON", "alice"),
    ]
    assert Pseudonyms().find("anything") == []
