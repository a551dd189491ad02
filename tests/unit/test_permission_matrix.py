"""Who may do what, at the service layer: the full role x action matrix built from the
permission table, and role x object visibility for knowledge bases and apps.

Every cell is asserted both ways: an allowed action succeeds, a denied one raises
PermissionDenied and leaves a ``permission.denied`` event; an object the user may not
see is "not found", exactly like one that does not exist, and never listed.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktop import app
from desktop.core import rbac
from desktop.core.chat_models import AppConfig, AppVisibility
from desktop.core.errors import NotFound, PermissionDenied
from desktop.core.knowledge_models import KbVisibility, RetrievalMode
from desktop.core.limits import LimitKind, LimitScope
from desktop.core.models import Actor, Role
from desktop.core.rbac import Permission
from desktop.core.workspace_policy import Policy
from tests.fakes import FakeChatModel, MemorySource

ACTOR_OF_ROLE = {Role.OWNER: "owner", Role.ADMIN: "ada", Role.EDITOR: "eve", Role.MEMBER: "mo"}


def text_source(name: str, text: str) -> MemorySource:
    return MemorySource(name, text.encode())


@pytest.fixture
def model_id(ws: app.Workspace, people: dict[str, Actor], tmp_path: Path) -> int:
    path = tmp_path / "m.gguf"
    path.write_bytes(b"GGUF" + b"\0" * 32)
    return ws.models.register(people["owner"], str(path), name="m").id


def _denials(ws: app.Workspace) -> int:
    with ws.store.transaction() as tx:
        return sum(1 for e in tx.audit.iter_events() if e.action == "permission.denied")


Action = Callable[[app.Workspace, Actor, dict[str, Actor], int, Path], Any]

#: One real service call per permission; the test below fails if a permission lacks one.
ACTIONS: dict[Permission, Action] = {
    Permission.USE_APPS: lambda ws, a, p, m, t: ws.chat.send(
        a, ws.apps.create(p["owner"], AppConfig(name="chat", model_id=m)).id, "hello"
    ),
    Permission.MANAGE_APPS: lambda ws, a, p, m, t: ws.apps.create(
        a, AppConfig(name="new app", model_id=m)
    ),
    Permission.MANAGE_KNOWLEDGE: lambda ws, a, p, m, t: ws.knowledge.create(a, "new kb"),
    Permission.VIEW_LOGS: lambda ws, a, p, m, t: ws.workspace.verify_audit(a),
    Permission.MANAGE_MEMBERS: lambda ws, a, p, m, t: ws.accounts.set_role(a, "mia", Role.EDITOR),
    Permission.MANAGE_MODELS: lambda ws, a, p, m, t: ws.models.register(
        a, str(t / "m.gguf"), name="another"
    ),
    Permission.MANAGE_SECURITY: lambda ws, a, p, m, t: ws.policies.set(
        a, Policy.ROLE_APPROVAL, True
    ),
    Permission.TRANSFER_OWNERSHIP: lambda ws, a, p, m, t: ws.accounts.transfer_ownership(a, "mia"),
    Permission.MANAGE_LIMITS: lambda ws, a, p, m, t: ws.limits.set_limits(
        a, LimitScope.USER, "mia", {LimitKind.TOKENS_PER_DAY: 100}
    ),
    Permission.MANAGE_BACKUPS: lambda ws, a, p, m, t: ws.backups.backup(a, t / "w.kbak"),
}


def test_every_permission_has_a_matrix_action() -> None:
    assert set(ACTIONS) == set(Permission)


@pytest.mark.parametrize(
    ("permission", "role"), list(itertools.product(Permission, Role)), ids=lambda v: v.value
)
def test_role_by_action_matrix(
    ws: app.Workspace,
    people: dict[str, Actor],
    model_id: int,
    tmp_path: Path,
    fake: FakeChatModel,
    permission: Permission,
    role: Role,
) -> None:
    fake.replies = [["hi"]]
    actor = people[ACTOR_OF_ROLE[role]]
    before = _denials(ws)
    if rbac.allowed(role, permission):
        ACTIONS[permission](ws, actor, people, model_id, tmp_path)
        assert _denials(ws) == before
    else:
        with pytest.raises(PermissionDenied, match="permission denied"):
            ACTIONS[permission](ws, actor, people, model_id, tmp_path)
        assert _denials(ws) == before + 1


# ------------------------------------------------------------------ knowledge bases

KB_CASES = {
    # visibility, members -> who may read besides its creator (ada)
    "only_me": (KbVisibility.ONLY_ME, ()),
    "all": (KbVisibility.ALL, ()),
    "partial_with_mo": (KbVisibility.PARTIAL, ("mo",)),
    "partial_with_eve": (KbVisibility.PARTIAL, ("eve",)),
}


def _may_read(name: str, case: str) -> bool:
    visibility, members = KB_CASES[case]
    return name == "ada" or visibility is KbVisibility.ALL or name in members


@pytest.mark.parametrize(("case", "who"), list(itertools.product(KB_CASES, ACTOR_OF_ROLE.values())))
def test_knowledge_base_visibility(
    ws: app.Workspace, people: dict[str, Actor], case: str, who: str
) -> None:
    visibility, members = KB_CASES[case]
    kb = ws.knowledge.create(people["ada"], "Dossier", visibility=visibility, members=members)
    ws.knowledge.ingest(
        people["ada"], kb.id, [text_source("d.txt", "The dossier mentions KESTREL.")]
    )
    actor = people[who]
    reads: list[Callable[[], Any]] = [
        lambda: ws.knowledge.get(actor, kb.id),
        lambda: ws.knowledge.get(actor, "dossier"),
        lambda: ws.knowledge.documents(actor, kb.id),
        lambda: ws.knowledge.search(actor, kb.id, "KESTREL", mode=RetrievalMode.FULLTEXT),
    ]
    listed = [k.name for k in ws.knowledge.list(actor)]
    if _may_read(who, case):
        assert listed == ["Dossier"]
        for read in reads:
            assert read()
    else:
        assert listed == []
        for read in reads:
            with pytest.raises(NotFound):
                read()
        messages = []
        for name in ("Dossier", "Nothing"):  # hidden and never used: the same words
            with pytest.raises(NotFound) as missing:
                ws.knowledge.get(actor, name)
            messages.append(str(missing.value).replace(name, "NAME"))
        assert messages[0] == messages[1]


# ------------------------------------------------------------------ apps

APP_CASES = {
    "all": (AppVisibility.ALL, ()),
    "partial_with_mo": (AppVisibility.PARTIAL, ("mo",)),
    "partial_with_mia": (AppVisibility.PARTIAL, ("mia",)),
}


@pytest.mark.parametrize(
    ("case", "who"), list(itertools.product(APP_CASES, ACTOR_OF_ROLE.values()))
)
def test_app_visibility(
    ws: app.Workspace,
    people: dict[str, Actor],
    model_id: int,
    fake: FakeChatModel,
    case: str,
    who: str,
) -> None:
    visibility, members = APP_CASES[case]
    record = ws.apps.create(
        people["eve"],
        AppConfig(name="Helper", model_id=model_id, visibility=visibility, members=members),
    )
    actor = people[who]
    fake.replies = [["hi"]]
    managers = rbac.allowed(actor.role, Permission.MANAGE_APPS)
    if managers or visibility is AppVisibility.ALL or who in members:
        assert [a.config.name for a in ws.apps.list(actor)] == ["Helper"]
        assert ws.apps.show(actor, "helper").id == record.id
        assert ws.chat.send(actor, record.id, "hello").turn.answer == "hi"
    else:
        assert ws.apps.list(actor) == []
        for call in (
            lambda: ws.apps.show(actor, "helper"),
            lambda: ws.chat.send(actor, record.id, "hello"),
        ):
            with pytest.raises(NotFound, match="no app"):
                call()


# ------------------------------------------------------------------ retrieval


def test_no_chunk_of_an_unreadable_kb_reaches_prompt_citations_or_results(
    ws: app.Workspace, people: dict[str, Actor], model_id: int, fake: FakeChatModel
) -> None:

    ada = people["ada"]
    words = [
        "audit",
        "key",
        "policy",
        "retention",
        "export",
        "archive",
        "ledger",
        "cipher",
        "review",
        "access",
    ]
    kbs = {
        "PRIVATE": ws.knowledge.create(ada, "private"),
        "TEAM": ws.knowledge.create(ada, "team", visibility=KbVisibility.PARTIAL, members=["mo"]),
        "OPEN": ws.knowledge.create(ada, "open", visibility=KbVisibility.ALL),
    }
    rng = random.Random(5)
    for tag, kb in kbs.items():
        docs = [
            text_source(
                f"{tag.lower()}{i}.txt", f"{tag}-{i} " + " ".join(rng.sample(words, 5)) + "."
            )
            for i in range(12)
        ]
        ws.knowledge.ingest(ada, kb.id, docs)
    helper = ws.apps.create(
        people["eve"],
        AppConfig(name="helper", model_id=model_id, kb_ids=tuple(k.id for k in kbs.values())),
    )
    forbidden = {"mo": {"PRIVATE"}, "mia": {"PRIVATE", "TEAM"}}
    seen: dict[str, set[str]] = {"mo": set(), "mia": set()}
    for round_ in range(30):
        query = " ".join(rng.sample(words, 3))
        for who, hidden in forbidden.items():
            actor = people[who]
            fake.replies = [["See [1] and [2]."]]
            turn = ws.chat.send(actor, helper.id, query).turn
            prompt = fake.prompts[-1]
            cited = {c["document"] for c in turn.citations}
            results = [
                h.chunk.text
                for kb in ws.knowledge.list(actor)
                for h in ws.knowledge.search(actor, kb.id, query, mode=RetrievalMode.HYBRID)
            ]
            for tag in hidden:
                assert f"{tag}-" not in prompt, (round_, who, tag)
                assert not any(doc.startswith(tag.lower()) for doc in cited)
                assert not any(f"{tag}-" in text for text in results)
                with pytest.raises(NotFound):
                    ws.knowledge.search(actor, kbs[tag].id, query)
            seen[who] |= {tag for tag in kbs if f"{tag}-" in prompt}
    assert seen == {"mo": {"TEAM", "OPEN"}, "mia": {"OPEN"}}  # not vacuous
