"""Quick chat on a model without an app, files dropped on a conversation, and search in
one's own conversations (issue 16), through the services."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop import app
from desktop.core.chat_models import AppConfig
from desktop.core.errors import AuthenticationFailed, InputError, NotFound
from desktop.core.models import Actor, UserStatus
from tests.fakes import FakeChatModel, MemorySource


def _model(ws: app.Workspace, people: dict[str, Actor], tmp_path: Path, name: str = "tiny"):
    path = tmp_path / f"{name}.gguf"
    path.write_bytes(b"GGUF" + b"\0" * 64)
    return ws.models.register(people["owner"], str(path), name=name)


def _actions(ws: app.Workspace) -> list[tuple[str, str, str]]:
    with ws.store.transaction() as tx:
        return [(e.actor, e.action, e.object) for e in tx.audit.iter_events()]


# ---------------------------------------------------------------- quick chat


def test_a_member_starts_a_quick_chat_on_a_model_without_any_app(
    ws: app.Workspace, people: dict[str, Actor], fake: FakeChatModel, tmp_path: Path
) -> None:
    model = _model(ws, people, tmp_path)
    mo = people["mo"]
    before = len(_actions(ws))
    quick, conv = ws.chat.start_quick(mo, "tiny")
    assert quick.config.quick and quick.config.model_id == model.id
    assert quick.config.name == "tiny" and conv.app_id == quick.id and conv.title == "tiny"
    # the quick app and the conversation, audited in the same operation
    assert [a[:2] for a in _actions(ws)[before:]] == [
        ("mo", "app.created"),
        ("mo", "conversation.created"),
    ]
    fake.replies = [["Hello there."]]
    result = ws.chat.send(mo, None, "Say hello", conversation_id=conv.id)
    assert result.conversation_id == conv.id and result.turn.answer == "Hello there."
    shown = ws.chat.conversations(mo)
    assert [(c.id, c.title) for c in shown] == [(conv.id, "Say hello")]  # first message titles it
    # one quick app per model, reused; hidden from Studio and the app picker
    again, second = ws.chat.start_quick(people["mia"], model.id)
    assert again.id == quick.id and second.id != conv.id
    assert ws.apps.list(people["owner"]) == []
    assert [a.id for a in ws.apps.list(mo, quick=True)] == [quick.id]
    # nobody edits the built-in app (its instructions reach every user's quick chats)
    with pytest.raises(InputError) as refused:
        ws.apps.edit(people["owner"], quick.id, {"instructions": "Always say yes."})
    assert refused.value.code == "chat.quick_app_fixed"
    # deleting it for good works as for any conversation
    ws.chat.delete(mo, conv.id)
    assert ws.chat.conversations(mo) == []


def test_a_quick_chat_needs_a_registered_model_and_a_role_that_may_chat(
    ws: app.Workspace, people: dict[str, Actor], tmp_path: Path
) -> None:
    with pytest.raises(NotFound) as missing:
        ws.chat.start_quick(people["mo"], "nope")
    assert missing.value.code == "conversations.quick_model_not_found"
    _model(ws, people, tmp_path)
    eve_app = ws.apps.create(people["eve"], AppConfig(name="tiny", model_id=1))
    quick, _ = ws.chat.start_quick(people["mo"], "tiny")  # an app has the model's name
    assert quick.id != eve_app.id and quick.config.name == "tiny (2)"
    ws.accounts.set_status(people["owner"], "mia", UserStatus.DISABLED)
    with pytest.raises(AuthenticationFailed):  # the actor is re-read: disabled, refused
        ws.chat.start_quick(people["mia"], "tiny")


# ---------------------------------------------------------------- files dropped on a chat


def test_a_file_dropped_on_a_conversation_is_private_to_it_and_cited(
    ws: app.Workspace, people: dict[str, Actor], fake: FakeChatModel, tmp_path: Path
) -> None:
    _model(ws, people, tmp_path)
    mo = people["mo"]
    _, conv = ws.chat.start_quick(mo, "tiny")
    note = "The boiler room key is kept in locker CANARY-77."
    report = ws.chat.attach_files(mo, conv.id, [MemorySource("keys.txt", note.encode())])
    assert [a["name"] for a in report.added] == ["keys.txt"]
    # a member (no knowledge permission) made it; no knowledge list shows it
    assert ws.knowledge.list(mo) == [] and ws.knowledge.list(people["owner"]) == []
    fake.replies = [["It is in locker CANARY-77 [1]."]]
    turn = ws.chat.send(mo, None, "Where is the boiler room key?", conversation_id=conv.id).turn
    assert "CANARY-77" in fake.prompts[-1]  # retrieved into the prompt
    assert turn.citations and turn.citations[0]["document"] == "keys.txt"
    assert ws.chat.passage(mo, turn.id, 1).text == note
    # another conversation of the same user does not see it
    _, other = ws.chat.start_quick(mo, "tiny")
    fake.replies = [["No idea."]]
    ws.chat.send(mo, None, "Where is the boiler room key?", conversation_id=other.id)
    assert "CANARY-77" not in fake.prompts[-1]
    # nor may anyone else add to it
    with pytest.raises(NotFound):
        ws.chat.attach_files(people["mia"], conv.id, [MemorySource("x.txt", b"x")])
    with pytest.raises(InputError):
        ws.chat.attach_files(mo, conv.id, [])


def test_deleting_the_conversation_deletes_its_dropped_files(
    ws: app.Workspace, people: dict[str, Actor], fake: FakeChatModel, tmp_path: Path
) -> None:
    _model(ws, people, tmp_path)
    mo = people["mo"]
    _, conv = ws.chat.start_quick(mo, "tiny")
    ws.chat.attach_files(mo, conv.id, [MemorySource("n.txt", b"Secret FILE-CANARY text.")])
    with ws.store.transaction() as tx:
        kb_id = tx.conversations.private_kb(conv.id)
    assert kb_id is not None
    ws.chat.delete(mo, conv.id)
    with ws.store.transaction() as tx:
        assert tx.knowledge.get_kb(kb_id) is None
        assert tx.knowledge.fulltext(kb_id, ["FILE-CANARY"], [], 5) == []


def test_a_file_dropped_on_an_app_conversation_started_empty(
    ws: app.Workspace, people: dict[str, Actor], fake: FakeChatModel, apps: dict[str, int]
) -> None:
    mo = people["mo"]
    conv = ws.chat.start(mo, apps["hr"])
    assert conv.app_id == apps["hr"] and ws.chat.turns(mo, conv.id) == []
    ws.chat.attach_files(mo, conv.id, [MemorySource("p.md", b"# Leave\nTen days of LEAVE-9.")])
    fake.replies = [["Ten days [1]."]]
    ws.chat.send(mo, apps["hr"], "How much leave?", conversation_id=conv.id)
    assert "LEAVE-9" in fake.prompts[-1]
    with pytest.raises(NotFound):
        ws.chat.attach_files(people["mia"], conv.id, [MemorySource("x.txt", b"x")])


# ---------------------------------------------------------------- search


def test_search_finds_your_own_conversations_by_title_and_message_text(
    ws: app.Workspace, people: dict[str, Actor], fake: FakeChatModel, apps: dict[str, int]
) -> None:
    mo, mia = people["mo"], people["mia"]
    fake.replies = [["Use form B-12."], ["東京本社は品川にあります。"], ["Mine too."]]
    a = ws.chat.send(mo, apps["hr"], "How do I claim travel costs?").conversation_id
    b = ws.chat.send(mo, apps["legal"], "本社の住所を教えて").conversation_id
    ws.chat.send(mia, apps["hr"], "travel costs for mia?")
    ws.chat.rename(mo, b, "住所の質問")
    assert [c.id for c in ws.chat.search(mo, "TRAVEL")] == [a]  # a question, any case
    assert [c.id for c in ws.chat.search(mo, "b-12")] == [a]  # an answer
    assert [c.id for c in ws.chat.search(mo, "品川")] == [b]  # Japanese, two characters
    assert [c.id for c in ws.chat.search(mo, "東京本社")] == [b]  # Japanese, trigram index
    assert [c.id for c in ws.chat.search(mo, "住所の質問")] == [b]  # a title
    assert [c.id for c in ws.chat.search(mo, "ｔｒａｖｅｌ")] == [a]  # full-width folded
    assert ws.chat.search(mo, "nothing like this") == []
    assert ws.chat.search(mo, "   ") == []
    assert ws.chat.search(mo, "50%_") == []  # LIKE's wildcards are only text
    with pytest.raises(InputError):
        ws.chat.search(mo, "x" * 201)


def test_search_leaves_out_text_an_edit_replaced_and_deleted_conversations(
    ws: app.Workspace, people: dict[str, Actor], fake: FakeChatModel, apps: dict[str, int]
) -> None:
    mo = people["mo"]
    fake.replies = [["Old answer ZEBRA."], ["New answer."]]
    result = ws.chat.send(mo, apps["hr"], "first try")
    ws.chat.edit_and_resend(mo, result.conversation_id, result.turn.id, "second try")
    assert ws.chat.search(mo, "zebra") == []
    assert [c.id for c in ws.chat.search(mo, "second")] == [result.conversation_id]
    ws.chat.delete(mo, result.conversation_id)
    assert ws.chat.search(mo, "second") == []
