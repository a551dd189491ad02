"""``kura conversations regenerate`` on an exhaustive turn: it reads every document
again (or as ``--exhaustive`` / ``--no-exhaustive`` says), shows its batches on stderr,
stops on Ctrl-C keeping what it merged, and every item it lists keeps its citation.

The command runs in-process on the deterministic fake reader; only the workspace it
opens and the sign-in are handed in (they need a keyring and a password)."""

from __future__ import annotations

import argparse
import os
import re
import signal
from contextlib import nullcontext
from pathlib import Path

import pytest

from desktop import app
from desktop.cli import build_parser
from desktop.cli import chat as cli_chat
from desktop.core.chat_models import SamplingParams
from desktop.core.models import Actor
from desktop.core.services.exhaustive import BATCHES
from desktop.core.tasks import CancelToken
from tests.fakes import ExtractingChatModel, FakeGeneration
from tests.unit.test_exhaustive import ITEM, _app, _seed

EVERY = "List EVERY item"


class InterruptedReader(ExtractingChatModel):
    """A perfect reader; at batch ``interrupt_at`` (from 1) the user presses Ctrl-C."""

    def __init__(self) -> None:
        super().__init__(ITEM, n_ctx=900)
        self.interrupt_at: int | None = None

    def generate(
        self,
        prompt: str,
        params: SamplingParams,
        cancel: CancelToken,
        stop: tuple[str, ...] = (),
    ) -> FakeGeneration:
        generation = super().generate(prompt, params, cancel, stop)
        if self.interrupt_at is not None and len(self.prompts) == self.interrupt_at:
            os.kill(os.getpid(), signal.SIGINT)  # the CLI's handler cancels the turn
        return generation


@pytest.fixture
def fake() -> InterruptedReader:
    return InterruptedReader()


def _regenerate(
    ws: app.Workspace, actor: Actor, monkeypatch: pytest.MonkeyPatch, *argv: str
) -> tuple[int, argparse.Namespace]:
    args = build_parser().parse_args(["conversations", "regenerate", *argv, "--user", "mo"])
    monkeypatch.setattr(cli_chat, "open_workspace", lambda _args: nullcontext(ws))
    monkeypatch.setattr(cli_chat, "sign_in", lambda _ws, _args, _lines: actor)
    return int(args.handler(args)), args


def _asked_exhaustively(ws: app.Workspace, people: dict[str, Actor], tmp_path: Path) -> int:
    kb_id, _ = _seed(ws, people["ada"], docs=10)
    app_id = _app(ws, people, tmp_path, kb_id)  # the app's setting: not exhaustive
    return ws.chat.send(people["mo"], app_id, "List every part.", exhaustive=True).conversation_id


def test_regenerate_flag_defaults_to_the_mode_it_was_asked_in() -> None:
    parse = build_parser().parse_args
    assert parse(["conversations", "regenerate", "3"]).exhaustive is None
    assert parse(["conversations", "regenerate", "3", "--exhaustive"]).exhaustive is True
    assert parse(["conversations", "regenerate", "3", "--no-exhaustive"]).exhaustive is False


def test_cli_regenerates_an_exhaustive_turn_reading_every_batch_with_citations(
    ws: app.Workspace,
    people: dict[str, Actor],
    fake: InterruptedReader,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conv_id = _asked_exhaustively(ws, people, tmp_path)
    seeded = set(re.findall(ITEM, ws.chat.turns(people["mo"], conv_id)[-1].answer))
    assert len(seeded) == 40
    fake.prompts.clear()
    capsys.readouterr()
    monkeypatch.setenv("LANG", "en_US.UTF-8")

    rc, _ = _regenerate(ws, people["mo"], monkeypatch, str(conv_id))

    out, err = capsys.readouterr()
    batches = len(fake.prompts)
    assert rc == 0 and batches > 1 and all(EVERY in p for p in fake.prompts)
    assert sorted(re.findall(ITEM, out)) == sorted(seeded)  # streamed, each once
    shown = re.findall(r"reading every document: batch (\d+) of (\d+)", err)
    assert shown == [(str(n), str(batches)) for n in range(1, batches + 1)]
    turns = ws.chat.turns(people["mo"], conv_id)
    assert len(turns) == 1  # the new answer replaced the old one
    turn = turns[0]
    assert turn.timings[BATCHES] == batches and turn.stop_reason == "stop"
    for line in turn.answer.splitlines():  # every item cites the passage that holds it
        item = re.findall(ITEM, line)[0]
        markers = [int(m) for m in re.findall(r"\[(\d+)\]", line)]
        assert markers and all(
            item in ws.chat.passage(people["mo"], turn.id, m).text for m in markers
        )


def test_cli_regenerate_no_exhaustive_answers_from_the_best_passages(
    ws: app.Workspace,
    people: dict[str, Actor],
    fake: InterruptedReader,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conv_id = _asked_exhaustively(ws, people, tmp_path)
    fake.prompts.clear()

    rc, _ = _regenerate(ws, people["mo"], monkeypatch, str(conv_id), "--no-exhaustive", "--json")

    assert rc == 0 and len(fake.prompts) == 1 and EVERY not in fake.prompts[0]
    assert BATCHES not in ws.chat.turns(people["mo"], conv_id)[-1].timings
    fake.prompts.clear()
    rc, _ = _regenerate(ws, people["mo"], monkeypatch, str(conv_id), "--exhaustive", "--json")
    assert rc == 0 and len(fake.prompts) > 1 and all(EVERY in p for p in fake.prompts)


def test_ctrl_c_stops_an_exhaustive_regeneration_and_keeps_the_items_merged(
    ws: app.Workspace,
    people: dict[str, Actor],
    fake: InterruptedReader,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conv_id = _asked_exhaustively(ws, people, tmp_path)
    planned = int(ws.chat.turns(people["mo"], conv_id)[-1].timings[BATCHES])
    assert planned > 2
    fake.prompts.clear()
    fake.interrupt_at = 2
    capsys.readouterr()

    rc, _ = _regenerate(ws, people["mo"], monkeypatch, str(conv_id))

    out, err = capsys.readouterr()
    assert rc == 0 and len(fake.prompts) == 2  # the batch under way ends, no more start
    turn = ws.chat.turns(people["mo"], conv_id)[-1]
    assert turn.stop_reason == "cancelled" and "(stopped)" in err
    assert turn.timings[BATCHES] == 2
    items = re.findall(ITEM, turn.answer)
    assert items and sorted(items) == sorted(re.findall(ITEM, out))
    for line in turn.answer.splitlines():
        marker = int(re.findall(r"\[(\d+)\]", line)[0])
        assert re.findall(ITEM, line)[0] in ws.chat.passage(people["mo"], turn.id, marker).text
