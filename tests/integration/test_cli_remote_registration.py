"""``kura models add-remote`` and ``refresh-remote`` end to end, in real processes on a
real keyring, against a loopback port where nothing listens: the connection test's
one-line failure (exit 1) and ``--no-check``; re-resolving a name (``localhost``) and
showing old -> new; a Member refused; an unknown name one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.integration.cli_support import REPO, Kura, require_secret_service

pytestmark = [pytest.mark.keyring]

PW = "correct horse battery staple"
MEMBER_PW = "member passphrase 1234"


#: The discard port: nothing listens on it on a test machine (connections are refused).
DOWN_PORT = 9


@pytest.fixture
def kura(tmp_path: Path) -> Kura:
    require_secret_service()
    # without tests/integration/netguard_site: this Kura tries a server on purpose
    k = Kura(tmp_path / "ws", tmp_path / "tmp", PYTHONPATH=str(REPO))
    k.init("owner", PW)
    res = k("users", "add", "mo", "--role", "member", "--user", "owner", "--password-stdin",
            stdin=f"{PW}\n{MEMBER_PW}\n")  # fmt: skip
    assert res.code == 0, res.err
    return k


def _owner(k: Kura, *args: str) -> tuple[int, str, str]:
    res = k(*args, "--user", "owner", "--password-stdin", stdin=PW + "\n")
    return res.code, res.out, res.err


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_a_server_that_is_down_is_refused_unless_no_check(kura: Kura) -> None:
    port = DOWN_PORT
    add = ("models", "add-remote", "gpu", "--base-url", f"http://localhost:{port}/v1")
    code, out, err = _owner(kura, *add, "--model", "m")
    line = _one_line(err)
    assert code == 1 and out == ""
    assert f"the connection test of http://localhost:{port}/v1 failed" in line
    assert "after 3 tries" in line and "--no-check" in line
    code, out, _ = _owner(kura, "models", "list", "--json")
    assert code == 0 and "gpu" not in out
    code, out, err = _owner(kura, *add, "--model", "m", "--no-check", "--json")
    assert code == 0, err
    assert json.loads(out)["check"] is None
    code, out, err = _owner(kura, "models", "refresh-remote", "gpu")
    assert code == 0, err
    # sorted, 127.0.0.1 comes before ::1 where localhost has both
    assert f"gpu: localhost still resolves to 127.0.0.1:{port}" in out
    code, out, err = _owner(kura, "models", "refresh-remote", "gpu", "--json")
    assert code == 0, err
    assert json.loads(out)["changed"] is False
    assert f"127.0.0.1:{port}" in json.loads(out)["new"]
    res = kura("models", "refresh-remote", "gpu", "--user", "mo", "--password-stdin",
               stdin=MEMBER_PW + "\n")  # fmt: skip
    assert res.code == 3 and _one_line(res.err)
    code, _, err = _owner(kura, "models", "refresh-remote", "nothing")
    assert code == 2 and "no remote model named 'nothing'" in _one_line(err)
