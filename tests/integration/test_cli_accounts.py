"""``kura users`` and ``kura policy`` end to end: real keyring, real processes.

Each command is its own process, so the throttle count and the TOTP state crossing
process boundaries also proves they live in the database.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyotp
import pytest

from tests.integration.cli_support import Kura, workspace_with_owner

OWNER_PW = "correct horse battery staple 蔵"
MEMBER_PW = "an unrelated passphrase for ann"
WRONG = "this is not the password"


@pytest.fixture
def kura(tmp_path: Path) -> Kura:
    return workspace_with_owner(tmp_path, "boss", OWNER_PW)


def _as(kura: Kura, user: str, *args: str, stdin: str) -> tuple[int, str, str]:
    res = kura(*args, "--user", user, "--password-stdin", stdin=stdin)
    return res.code, res.out, res.err


def test_weak_passwords_are_refused_with_the_reason(kura: Kura) -> None:
    for weak, why in (("password1234", "most common"), ("qwertyuiop123", "password refused")):
        code, _, err = _as(kura, "boss", "users", "add", "ann", "--role", "member",
                           stdin=f"{OWNER_PW}\n{weak}\n")  # fmt: skip
        assert code == 2 and why in err and len(err.strip().splitlines()) == 1
    code, out, _ = _as(kura, "boss", "users", "list", "--json", stdin=OWNER_PW + "\n")
    assert code == 0 and "ann" not in out  # nothing was added


def test_a_locked_account_exits_4_across_processes(kura: Kura) -> None:
    add = ("users", "add", "ann", "--role", "member", "--display-name", "Ann Example")
    code, _, err = _as(kura, "boss", *add, stdin=f"{OWNER_PW}\n{MEMBER_PW}\n")
    assert code == 0, err
    code, out, _ = _as(kura, "boss", "users", "list", "--json", stdin=OWNER_PW + "\n")
    listed = {u["username"]: u for u in json.loads(out)["users"]}
    assert listed["ann"]["display_name"] == "Ann Example" and listed["ann"]["role"] == "member"
    codes = [_as(kura, "ann", "users", "totp", "status", stdin=WRONG + "\n")[0] for _ in range(5)]
    assert codes == [3, 3, 3, 3, 4]
    code, _, err = _as(kura, "ann", "users", "totp", "status", stdin=MEMBER_PW + "\n")
    assert code == 4 and "locked until" in err and "Traceback" not in err
    code, _, err = _as(kura, "boss", "users", "unlock", "ann", stdin=OWNER_PW + "\n")
    assert code == 0, err
    code, out, _ = _as(kura, "ann", "users", "totp", "status", stdin=MEMBER_PW + "\n")
    assert code == 0 and "TOTP off" in out


def test_totp_enrollment_and_sign_in_with_a_code_on_stdin(kura: Kura) -> None:
    code, out, err = _as(kura, "boss", "users", "totp", "enroll", "--json", stdin=OWNER_PW + "\n")
    assert code == 0, err
    secret = json.loads(out)["secret"]
    totp = pyotp.TOTP(secret)
    code, out, err = _as(kura, "boss", "users", "totp", "confirm", totp.now(), "--json",
                         stdin=OWNER_PW + "\n")  # fmt: skip
    assert code == 0, err
    recovery = json.loads(out)["recovery_codes"]
    assert len(recovery) == 10
    code, _, err = _as(kura, "boss", "users", "list", stdin=OWNER_PW + "\n")
    assert code == 2 and "one-time code" in err  # no code on stdin
    code, out, err = _as(kura, "boss", "users", "list", stdin=f"{OWNER_PW}\n{recovery[0]}\n")
    assert code == 0 and "boss" in out, err
    code, _, err = _as(kura, "boss", "users", "list", stdin=f"{OWNER_PW}\n{recovery[0]}\n")
    assert code == 3  # a recovery code works once
    code, out, _ = _as(kura, "boss", "policy", "set", "require-totp-for-admins", "on",
                       stdin=f"{OWNER_PW}\n{recovery[1]}\n")  # fmt: skip
    assert code == 0 and "require-totp-for-admins    on" in out


def test_errors_speak_the_locales_language(kura: Kura) -> None:
    """A wrong password, a weak password and a permission denial: Japanese under
    LANG=ja_JP.UTF-8, English under C; the exit codes do not depend on the language."""
    ja = {"LANG": "ja_JP.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
    en = {"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}

    def run(env: dict[str, str], user: str, *args: str, stdin: str) -> tuple[int, list[str]]:
        res = kura(*args, "--user", user, "--password-stdin", stdin=stdin, env=env)
        return res.code, res.err_lines

    assert run(ja, "boss", "users", "list", stdin=WRONG + "\n") == (
        3,
        ["kura: エラー: サインインできません: ユーザー名、パスワードまたはコードが違います"
         "（またはアカウントが無効です）"],
    )  # fmt: skip
    code, err = run(en, "boss", "users", "list", stdin=WRONG + "\n")
    assert (code, err) == (3, [
        "kura: error: sign-in failed: wrong user name, password or code (or the account is "
        "disabled)"
    ])  # fmt: skip

    add = ("users", "add", "ann", "--role", "member")
    code, err = run(ja, "boss", *add, stdin=f"{OWNER_PW}\npassword1234\n")
    assert code == 2 and len(err) == 1
    assert err[0].startswith("kura: エラー: このパスワードは使えません: よく使われるパスワード")
    code, err = run(en, "boss", *add, stdin=f"{OWNER_PW}\npassword1234\n")
    assert code == 2 and err == [
        "kura: error: password refused: it is one of the most common passwords; a few "
        "unrelated words make a strong one"
    ]

    assert run(en, "boss", *add, stdin=f"{OWNER_PW}\n{MEMBER_PW}\n")[0] == 0
    denied = ("users", "add", "bea", "--role", "member")
    code, err = run(ja, "ann", *denied, stdin=f"{MEMBER_PW}\n{OWNER_PW}\n")
    assert code == 3 and err == [
        "kura: エラー: 権限がありません: メンバーの役割ではメンバーを管理することはできません。"
        "ワークスペースのオーナーか管理者に依頼してください"
    ]
    code, err = run(en, "ann", *denied, stdin=f"{MEMBER_PW}\n{OWNER_PW}\n")
    assert code == 3 and err == [
        "kura: error: permission denied: the Member role may not manage members; ask the "
        "workspace Owner or an Admin"
    ]
