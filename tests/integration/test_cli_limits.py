"""``kura limits`` end to end, in real processes on a real keyring: the Owner sets and
clears limits, Admins list them, a Member can do neither, bad input is one line with
exit 2, and a turn a limit refuses exits 5 with one line naming the limit, its reset
time and who can raise it (the refusal comes before the model is loaded, so a small
GGUF written by the test serves)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.gguf_writer import write
from tests.integration.cli_support import Kura, workspace_with_owner

OWNER_PW = "correct horse battery staple 蔵"
MEMBER_PW = "a member's long passphrase 42"
BOSS = ("--as", "boss", "--password-stdin")


@pytest.fixture
def kura(tmp_path: Path) -> Kura:
    kura = workspace_with_owner(tmp_path, "boss", OWNER_PW)
    for name, role in (("mo", "member"), ("ada", "admin")):
        res = kura("users", "add", name, "--role", role, "--user", "boss", "--password-stdin",
                   stdin=f"{OWNER_PW}\n{MEMBER_PW}\n")  # fmt: skip
        assert res.code == 0, res.err
    return kura


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_the_owner_sets_lists_and_clears_limits(kura: Kura) -> None:
    res = kura("limits", "set", "--user", "mo", "--tokens-per-day", "1000",
               "--requests-per-minute", "5", *BOSS, stdin=OWNER_PW + "\n")  # fmt: skip
    assert res.code == 0, res.err
    assert "user mo: daily token limit 1,000, used 0, resets" in res.out
    res = kura("limits", "set", "--user", "mo", "--tokens-per-month", "20000", "--json",
               *BOSS, stdin=OWNER_PW + "\n")  # fmt: skip
    assert res.json()["limits"]["limits"] == {
        "tokens_per_day": 1000,
        "tokens_per_month": 20000,
        "requests_per_minute": 5,
    }
    res = kura("limits", "list", "--json", "--user", "ada", "--password-stdin",
               stdin=MEMBER_PW + "\n")  # fmt: skip
    assert res.code == 0, res.err
    rows = {(r["name"], r["limit"]): (r["used"], r["allowed"]) for r in res.json()["limits"]}
    assert rows == {
        ("mo", "tokens_per_day"): (0, 1000),
        ("mo", "tokens_per_month"): (0, 20000),
        ("mo", "requests_per_minute"): (0, 5),
    }
    res = kura("limits", "clear", "--user", "mo", "--requests-per-minute", *BOSS,
               stdin=OWNER_PW + "\n")  # fmt: skip
    assert res.code == 0 and "requests" not in res.out and "monthly token limit" in res.out
    res = kura("limits", "clear", "--user", "mo", *BOSS, stdin=OWNER_PW + "\n")
    assert res.code == 0 and "limits of user mo cleared" in res.out
    res = kura("limits", "list", "--user", "boss", "--password-stdin", stdin=OWNER_PW + "\n")
    assert res.code == 0 and "no usage limits are set" in res.out


def test_members_cannot_read_or_change_limits_and_bad_input_is_one_line(kura: Kura) -> None:
    member = ("--as", "mo", "--password-stdin")
    res = kura("limits", "set", "--user", "mo", "--tokens-per-day", "9", *member,
               stdin=MEMBER_PW + "\n")  # fmt: skip
    assert res.code == 3 and "permission denied" in _one_line(res.err)
    res = kura("limits", "list", "--user", "mo", "--password-stdin", stdin=MEMBER_PW + "\n")
    assert res.code == 3 and "permission denied" in _one_line(res.err)
    res = kura("limits", "set", "--user", "mo", "--tokens-per-day", "-1", *BOSS,
               stdin=OWNER_PW + "\n")  # fmt: skip
    assert res.code == 2 and "whole number from 0" in _one_line(res.err)
    res = kura("limits", "set", "--user", "nobody", "--concurrent", "1", *BOSS,
               stdin=OWNER_PW + "\n")  # fmt: skip
    assert res.code == 2 and "kura users list" in _one_line(res.err)
    res = kura("limits", "set", "--user", "mo", *BOSS, stdin=OWNER_PW + "\n")
    assert res.code == 2 and "--tokens-per-day" in _one_line(res.err)
    res = kura("limits", "set", "--user", "mo", "--app", "x", "--concurrent", "1", *BOSS,
               stdin=OWNER_PW + "\n")  # fmt: skip
    assert res.code == 2 and "not allowed with argument" in _one_line(res.err)


def test_a_turn_over_a_limit_exits_5_with_one_line(kura: Kura, tmp_path: Path) -> None:
    owner = ("--user", "boss", "--password-stdin")
    model = write(tmp_path / "tiny.gguf")
    assert kura("models", "add", str(model), "--name", "tiny", *owner,
                stdin=OWNER_PW + "\n").code == 0  # fmt: skip
    assert kura("apps", "create", "--name", "hr", "--model", "tiny", *owner,
                stdin=OWNER_PW + "\n").code == 0  # fmt: skip
    res = kura("limits", "set", "--app", "hr", "--tokens-per-day", "0", *BOSS,
               stdin=OWNER_PW + "\n")  # fmt: skip
    assert res.code == 0, res.err
    res = kura("chat", "hr", "--message", "hello", "--user", "mo", "--password-stdin",
               stdin=MEMBER_PW + "\n")  # fmt: skip
    line = _one_line(res.err)
    assert res.code == 5 and res.out == ""
    assert "the daily token limit of app 'hr' is reached (0 of 0)" in line
    assert "resets at" in line and "UTC" in line and "Owner" in line
    assert "kura limits set" in line
    res = kura("chat", "hr", "--message", "hello", "--user", "mo", "--password-stdin",
               env={"LANG": "ja_JP.UTF-8"}, stdin=MEMBER_PW + "\n")  # fmt: skip
    assert res.code == 5 and "アプリ「hr」の1日のトークン上限に達しました" in _one_line(res.err)
    res = kura("logs", "export", "--out", str(tmp_path / "b.zip"), *owner,
               stdin=OWNER_PW + "\n")  # fmt: skip
    assert res.code == 0, res.err
    events = _bundle_events(tmp_path / "b.zip")
    refused = [e for e in events if e["action"] == "limits.refused"]
    assert len(refused) == 2 and refused[0]["actor"] == "mo"


def _bundle_events(path: Path) -> list[dict]:  # type: ignore[type-arg]
    import zipfile

    with zipfile.ZipFile(path) as bundle:
        text = bundle.read("events.jsonl").decode()
    return [json.loads(line) for line in text.splitlines() if line.strip()]
