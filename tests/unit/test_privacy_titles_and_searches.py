"""Under *minimise logs*: a title the user gives a conversation and a knowledge-base
search's query reach the audit log with pseudonyms (the app's policies for the title,
the workspace default for the search), while the user's own views keep what they typed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import app
from desktop.core.errors import InputError
from desktop.core.models import Actor
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel, FixedClock, MemoryKeyStore
from tests.fakes_pii import FakePiiDetector
from tests.unit.privacy_support import privacy_workspace
from tests.unit.test_privacy_chat import (
    EMAIL,
    MY_NUMBER,
    NAME,
    PHONE,
    _app,
    _kb,
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


def _events(ws: app.Workspace, action: str) -> list[dict]:  # type: ignore[type-arg]
    with ws.store.transaction() as tx:
        return [e.payload or {} for e in tx.audit.iter_events() if e.action == action]


def test_a_renamed_title_is_logged_with_the_conversations_pseudonyms(
    ws: app.Workspace, people: dict[str, Actor], fake: FakeChatModel, tmp_path: Path
) -> None:
    app_id = _app(ws, people, tmp_path, minimise_logs=True)
    fake.replies = [["はい"]]
    conv = ws.chat.send(people["mo"], app_id, f"{NAME}さんの件です").conversation_id
    ws.chat.rename(people["mo"], conv, f"{NAME}さん {PHONE} の件")

    (shown,) = ws.chat.conversations(people["mo"])
    assert shown.title == f"{NAME}さん {PHONE} の件"  # the user's list keeps it
    *_, renamed = _events(ws, "conversation.renamed")
    # the same number as in the turn that named them first
    assert renamed["title"] == "〔人名1〕さん 〔電話番号1〕 の件"
    fake.replies = [["〔電話番号1〕"]]
    ws.chat.send(people["mo"], app_id, f"{PHONE} は誰？", conversation_id=conv)
    *_, trace = _events(ws, "chat.turn")
    assert trace["input"] == "〔電話番号1〕 は誰？"  # the table the rename extended


def test_a_title_follows_the_apps_policy_not_only_the_workspace_default(
    ws: app.Workspace, people: dict[str, Actor], fake: FakeChatModel, tmp_path: Path
) -> None:
    ws.privacy.set_defaults(people["owner"], minimise_logs=True)
    app_id = _app(ws, people, tmp_path, minimise_logs=False)
    fake.replies = [["はい"]]
    conv = ws.chat.send(people["mo"], app_id, "こんにちは").conversation_id
    ws.chat.rename(people["mo"], conv, f"{NAME}さん")
    assert _events(ws, "conversation.renamed")[-1]["title"] == f"{NAME}さん"


@pytest.mark.parametrize("policy", ["minimise_logs", "pseudonymise"])
def test_a_search_query_is_logged_masked_under_the_workspace_default(
    ws: app.Workspace, people: dict[str, Actor], policy: str
) -> None:
    kb_id = _kb(ws, people)
    query = f"{NAME} {EMAIL} ポンプ"
    plain = ws.knowledge.search(people["mo"], kb_id, query)
    assert _events(ws, "kb.searched")[-1]["query"] == query  # no policy: as typed

    ws.privacy.set_defaults(people["owner"], **{policy: True})
    hits = ws.knowledge.search(people["mo"], kb_id, query)
    assert [h.chunk.id for h in hits] == [h.chunk.id for h in plain]  # searched as typed
    logged = _events(ws, "kb.searched")[-1]
    assert logged["query"] == "〔人名1〕 〔メールアドレス1〕 ポンプ"
    assert logged["results"]


def test_a_search_under_the_policy_without_a_detector_is_refused_and_not_logged(
    tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock, fake: FakeChatModel
) -> None:
    with privacy_workspace(tmp_path / "w", key_store, clock, fake, None) as w:
        owner = w.accounts.authenticate("owner", PEOPLE_PASSWORD)
        kb = w.knowledge.create(owner, "manuals")
        w.privacy.set_defaults(owner, minimise_logs=True)
        with pytest.raises(InputError) as refused:
            w.knowledge.search(owner, kb.id, f"{MY_NUMBER} の件")
        assert refused.value.code == "privacy.detector_missing"
        assert _events(w, "kb.searched") == []
