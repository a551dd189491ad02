"""``kura kb create`` and ``kura apps show`` say nothing about knowledge bases the user
may not read."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.cli_support import Kura, workspace_with_owner

OWNER_PW = "correct horse battery staple 蔵"
ADMIN_PW = "another long passphrase for ada"
MEMBER_PW = "an unrelated passphrase for mo"


@pytest.fixture
def kura(tmp_path: Path) -> Kura:
    k = workspace_with_owner(tmp_path, "boss", OWNER_PW)
    for name, role, pw in (("ada", "admin", ADMIN_PW), ("mo", "member", MEMBER_PW)):
        res = k("users", "add", name, "--role", role, "--user", "boss", "--password-stdin",
                stdin=f"{OWNER_PW}\n{pw}\n")  # fmt: skip
        assert res.code == 0, res.err
    return k


def _as(kura: Kura, user: str, pw: str, *args: str):  # type: ignore[no-untyped-def]
    return kura(*args, "--user", user, "--password-stdin", stdin=pw + "\n")


def test_kb_create_with_a_hidden_knowledge_bases_name_works(kura: Kura) -> None:
    res = _as(kura, "boss", OWNER_PW, "kb", "create", "--name", "notes", "--json")
    assert res.code == 0, res.err
    hidden = res.json()["id"]
    res = _as(kura, "ada", ADMIN_PW, "kb", "create", "--name", "notes", "--json")
    assert res.code == 0, res.err  # as for a name never used: nothing said about boss's
    assert res.json()["id"] != hidden
    res = _as(kura, "ada", ADMIN_PW, "kb", "create", "--name", "Notes")
    assert res.code != 0 and "notes" in res.err.lower()  # her own name is taken
    assert len(res.err_lines) == 1 and "Traceback" not in res.err
    listed = _as(kura, "ada", ADMIN_PW, "kb", "list", "--json").json()["knowledge_bases"]
    assert [kb["id"] for kb in listed] != [hidden] and len(listed) == 1


def test_apps_show_lists_only_the_knowledge_bases_a_member_may_read(
    kura: Kura, demo_model_path: Path
) -> None:
    res = _as(kura, "boss", OWNER_PW, "models", "add", str(demo_model_path), "--name", "demo")
    assert res.code == 0, res.err
    ids = {}
    for name, visibility in (("board", "only_me"), ("handbook", "all")):
        res = _as(kura, "boss", OWNER_PW, "kb", "create", "--name", name,
                  "--visibility", visibility, "--json")  # fmt: skip
        assert res.code == 0, res.err
        ids[name] = res.json()["id"]
    res = _as(kura, "boss", OWNER_PW, "apps", "create", "--name", "hr", "--model", "demo",
              "--kb", str(ids["board"]), "--kb", str(ids["handbook"]))  # fmt: skip
    assert res.code == 0, res.err
    shown = _as(kura, "mo", MEMBER_PW, "apps", "show", "hr", "--json")
    assert shown.code == 0, shown.err
    assert shown.json()["kb_ids"] == [ids["handbook"]]
    text = _as(kura, "mo", MEMBER_PW, "apps", "show", "hr").out
    assert f"knowledge bases: {ids['handbook']}\n" in text + "\n"
    listed = _as(kura, "mo", MEMBER_PW, "apps", "list", "--json").json()["apps"]
    assert [a["kb_ids"] for a in listed] == [[ids["handbook"]]]
    owner = _as(kura, "boss", OWNER_PW, "apps", "show", "hr", "--json").json()
    assert owner["kb_ids"] == [ids["board"], ids["handbook"]]
