"""``kura logs export`` and ``kura verify`` end to end, with stock OpenSSH and coreutils."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.integration.cli_support import Kura, workspace_with_owner
from tests.tools import need

OWNER_PW = "correct horse battery staple 蔵"
MEMBER_PW = "an unrelated passphrase for mo"


@pytest.fixture
def kura(tmp_path: Path) -> Kura:
    return workspace_with_owner(tmp_path, "boss", OWNER_PW)


def _as(kura: Kura, user: str, pw: str, *args: str) -> tuple[int, str, str]:
    res = kura(*args, "--user", user, "--password-stdin", stdin=pw + "\n")
    return res.code, res.out, res.err


def test_export_verifies_with_stock_tools_and_kura_verify(kura: Kura, tmp_path: Path) -> None:
    ssh_keygen, sha256sum = need("ssh-keygen"), need("sha256sum")
    res = kura("users", "add", "mo", "--role", "member", "--user", "boss", "--password-stdin",
               stdin=f"{OWNER_PW}\n{MEMBER_PW}\n")  # fmt: skip
    assert res.code == 0, res.err
    out = tmp_path / "bundle.zip"
    code, _, err = _as(kura, "mo", MEMBER_PW, "logs", "export", "--out", str(out))
    assert code == 3 and not out.exists()  # Members cannot export
    code, text, err = _as(kura, "boss", OWNER_PW, "logs", "export", "--out", str(out))
    assert code == 0, err
    assert "signed by SHA256:" in text
    code, _, err = _as(kura, "boss", OWNER_PW, "logs", "export", "--out", str(out))
    assert code == 2 and "already exists" in err  # never overwritten
    code, signers, _ = _as(kura, "boss", OWNER_PW, "logs", "pubkey")
    pinned = tmp_path / "allowed_signers"
    pinned.write_text(signers)
    folder = tmp_path / "x"
    with zipfile.ZipFile(out) as z:
        z.extractall(folder)
    identity = signers.split()[0]
    with (folder / "SHA256SUMS").open("rb") as sums:
        check = subprocess.run(
            [ssh_keygen, "-Y", "verify", "-f", str(pinned), "-I", identity,
             "-n", "kura-audit-bundle@v1", "-s", "SHA256SUMS.sig"],
            stdin=sums, cwd=folder, capture_output=True, text=True,
        )  # fmt: skip
    assert check.returncode == 0, check.stderr
    assert subprocess.run([sha256sum, "-c", "SHA256SUMS"], cwd=folder).returncode == 0
    alone = subprocess.run(["python3", "-I", "verify_bundle.py", "--allowed-signers", str(pinned)],
                           cwd=folder)  # fmt: skip
    assert alone.returncode == 0
    # kura verify needs no workspace and no keyring: a data dir that does not exist
    elsewhere = Kura(tmp_path / "nowhere", tmp_path / "tmp2")
    res = elsewhere("verify", str(out), "--allowed-signers", str(pinned))
    assert res.code == 0 and res.out.startswith("OK"), res.err
    damaged = tmp_path / "damaged.zip"
    data = bytearray(out.read_bytes())
    data[len(data) // 3] ^= 0x01
    damaged.write_bytes(bytes(data))
    res = elsewhere("verify", str(damaged), "--allowed-signers", str(pinned))
    assert res.code == 1 and res.out.startswith("FAILED:") and "Traceback" not in res.err


def test_kura_verify_without_a_pinned_signer_is_not_ok(kura: Kura, tmp_path: Path) -> None:
    """A bundle signed by any key used to print a bare OK and exit 0: without
    --allowed-signers or --fingerprint only integrity is shown, and it says so."""
    out = tmp_path / "bundle.zip"
    code, text, err = _as(kura, "boss", OWNER_PW, "logs", "export", "--out", str(out))
    assert code == 0, err
    fingerprint = text.rsplit("signed by ", 1)[1].rstrip().rstrip(".")
    elsewhere = Kura(tmp_path / "nowhere", tmp_path / "tmp2")
    res = elsewhere("verify", str(out))
    assert res.code == 1 and not res.out.startswith("OK")
    assert res.out.startswith("INTEGRITY ONLY, signer NOT verified"), res.out
    assert "--allowed-signers" in res.err and fingerprint in res.err and "Traceback" not in res.err
    res = elsewhere("verify", str(out), "--json")
    document = json.loads(res.out)
    assert res.code == 1 and document["ok"] is False and document["status"] == "integrity-only"
    assert document["integrity_ok"] is True and document["signer_verified"] is False
    res = elsewhere("verify", str(out), "--fingerprint", fingerprint)
    assert res.code == 0 and res.out.startswith("OK"), res.err
    other = "SHA256:" + "A" * 43
    res = elsewhere("verify", str(out), "--fingerprint", other)
    assert res.code == 1 and res.out.startswith("FAILED:") and "pinned fingerprint" in res.out
    res = elsewhere("verify", str(out), "--fingerprint", "deadbeef")
    assert res.code == 2 and "not a key fingerprint" in res.err and "Traceback" not in res.err
