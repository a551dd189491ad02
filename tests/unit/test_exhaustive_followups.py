"""Exhaustive mode follow-ups (issue 17): regenerate and edit-and-resend keep the mode
a question was asked in (or take the one the caller gives), and a turn that fails part
way keeps the citations of the items it had merged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from desktop import app
from desktop.core.audit_actions import AuditAction
from desktop.core.chat_models import SamplingParams
from desktop.core.errors import GenerationFailed, ModelProcessStopped
from desktop.core.models import Actor
from desktop.core.tasks import CancelToken
from tests.fakes import ExtractingChatModel, FakeGeneration
from tests.unit.test_exhaustive import ITEM, _app, _seed

EVERY = "List EVERY item"


class FailingReader(ExtractingChatModel):
    """A perfect reader whose model process dies at batch ``fail_at`` (from 1)."""

    def __init__(self) -> None:
        super().__init__(ITEM, n_ctx=900)
        self.fail_at: int | None = None

    def generate(
        self,
        prompt: str,
        params: SamplingParams,
        cancel: CancelToken,
        stop: tuple[str, ...] = (),
    ) -> FakeGeneration:
        if self.fail_at is not None and len(self.prompts) + 1 == self.fail_at:
            self.prompts.append(prompt)
            raise ModelProcessStopped("models.host_stopped_exit", exit_code=1, advice="")
        return super().generate(prompt, params, cancel, stop)


@pytest.fixture
def fake() -> FailingReader:
    return FailingReader()


def _exhaustive_prompts(fake: ExtractingChatModel) -> int:
    return sum(EVERY in p for p in fake.prompts)


def test_regenerate_repeats_the_mode_the_question_was_asked_in(
    ws: app.Workspace, people: dict[str, Actor], fake: FailingReader, tmp_path: Path
) -> None:
    kb_id, seeded = _seed(ws, people["ada"], docs=3)
    app_id = _app(ws, people, tmp_path, kb_id)  # the app's setting: not exhaustive
    mo = people["mo"]
    asked = ws.chat.send(mo, app_id, "List every part.", exhaustive=True)
    fake.prompts.clear()

    again = ws.chat.regenerate(mo, asked.conversation_id)

    assert fake.prompts and _exhaustive_prompts(fake) == len(fake.prompts)
    assert sorted(re.findall(ITEM, again.turn.answer)) == sorted(seeded)
    fake.prompts.clear()
    plain = ws.chat.regenerate(mo, asked.conversation_id, exhaustive=False)  # caller says
    assert len(fake.prompts) == 1 and _exhaustive_prompts(fake) == 0
    fake.prompts.clear()
    ws.chat.regenerate(mo, plain.conversation_id)  # asked plainly now: plainly again
    assert len(fake.prompts) == 1 and _exhaustive_prompts(fake) == 0


def test_regenerate_on_an_exhaustive_app_repeats_a_question_asked_plainly(
    ws: app.Workspace, people: dict[str, Actor], fake: FailingReader, tmp_path: Path
) -> None:
    kb_id, _ = _seed(ws, people["ada"], docs=2)
    app_id = _app(ws, people, tmp_path, kb_id, exhaustive=True)
    mo = people["mo"]
    asked = ws.chat.send(mo, app_id, "What is a seal?", exhaustive=False)
    fake.prompts.clear()
    ws.chat.regenerate(mo, asked.conversation_id)
    assert len(fake.prompts) == 1 and _exhaustive_prompts(fake) == 0
    fake.prompts.clear()
    ws.chat.regenerate(mo, asked.conversation_id, exhaustive=True)
    assert len(fake.prompts) > 1 and _exhaustive_prompts(fake) == len(fake.prompts)


def test_edit_and_resend_takes_the_mode_given_or_the_edited_questions(
    ws: app.Workspace, people: dict[str, Actor], fake: FailingReader, tmp_path: Path
) -> None:
    kb_id, seeded = _seed(ws, people["ada"], docs=3)
    app_id = _app(ws, people, tmp_path, kb_id)
    mo = people["mo"]
    first = ws.chat.send(mo, app_id, "What is a seal?")
    conv = first.conversation_id
    fake.prompts.clear()

    edited = ws.chat.edit_and_resend(mo, conv, first.turn.id, "List every part.", exhaustive=True)

    assert fake.prompts and _exhaustive_prompts(fake) == len(fake.prompts)
    assert sorted(re.findall(ITEM, edited.turn.answer)) == sorted(seeded)
    fake.prompts.clear()
    ws.chat.edit_and_resend(mo, conv, edited.turn.id, "List every part, please.")
    assert len(fake.prompts) > 1 and _exhaustive_prompts(fake) == len(fake.prompts)
    with ws.store.transaction() as tx:
        turns = [e.payload for e in tx.audit.iter_events() if e.action == AuditAction.CHAT_TURN]
    assert ["exhaustive" in t for t in turns] == [False, True, True]  # the trace says


def test_a_failed_exhaustive_turn_keeps_its_partial_list_with_citations(
    ws: app.Workspace, people: dict[str, Actor], fake: FailingReader, tmp_path: Path
) -> None:
    kb_id, _ = _seed(ws, people["ada"])
    app_id = _app(ws, people, tmp_path, kb_id, exhaustive=True)
    mo = people["mo"]
    fake.fail_at = 3  # two batches merged, then the model process dies

    with pytest.raises(GenerationFailed) as failed:
        ws.chat.send(mo, app_id, "List every part.")

    conv = failed.value.conversation_id
    assert conv is not None
    turn = ws.chat.turns(mo, conv)[0]
    assert turn.stop_reason == "failed"
    listed = re.findall(ITEM, turn.answer)
    assert listed and turn.citations  # the partial list, with its citations
    for line in turn.answer.splitlines():  # every item cites the passage that holds it
        markers = [int(m) for m in re.findall(r"\[(\d+)\]", line)]
        assert markers, line
        item = re.findall(ITEM, line)[0]
        assert all(item in ws.chat.passage(mo, turn.id, m).text for m in markers)
    with ws.store.transaction() as tx:
        event = next(e for e in tx.audit.iter_events() if e.action == AuditAction.CHAT_FAILED)
    assert event.payload["retrieved"] == list(turn.citations)
    assert len(event.payload["exhaustive"]["batches"]) == 2  # what it read before failing
