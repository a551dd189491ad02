"""``kura apps export`` / ``kura apps import`` end to end between two workspaces (two data
dirs, the real keyring), with stock ``ssh-keygen`` checking the template's signature."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests import gguf_writer
from tests.integration.cli_support import Kura, workspace_with_owner
from tests.tools import need

OWNER_PW = "correct horse battery staple 蔵"
EDITOR_PW = "an editor's own long passphrase"
MEMBER_PW = "an unrelated passphrase for mo"


def _as(kura: Kura, user: str, pw: str, *args: str) -> tuple[int, str, str]:
    res = kura(*args, "--user", user, "--password-stdin", stdin=pw + "\n")
    return res.code, res.out, res.err


def _people(kura: Kura) -> None:
    for name, role, pw in (("eve", "editor", EDITOR_PW), ("mo", "member", MEMBER_PW)):
        res = kura("users", "add", name, "--role", role, "--user", "boss", "--password-stdin",
                   stdin=f"{OWNER_PW}\n{pw}\n")  # fmt: skip
        assert res.code == 0, res.err


def _model(kura: Kura, folder: Path, name: str, arch: str) -> None:
    path = gguf_writer.write(folder / f"{name}.gguf", gguf_writer.model_spec(arch=arch))
    code, _, err = _as(kura, "boss", OWNER_PW, "models", "add", str(path), "--name", name)
    assert code == 0, err


@pytest.fixture
def source(tmp_path: Path) -> Kura:
    kura = workspace_with_owner(tmp_path / "a", "boss", OWNER_PW)
    _people(kura)
    _model(kura, tmp_path, "tiny", "llama")
    code, out, err = _as(kura, "boss", OWNER_PW, "kb", "create", "--name", "Handbook",
                         "--visibility", "all", "--json")  # fmt: skip
    assert code == 0, err
    kb_id = str(json.loads(out)["id"])
    code, _, err = _as(kura, "eve", EDITOR_PW, "apps", "create", "--name", "helper",
                       "--model", "tiny", "--system-prompt", "Answer about {{topic}}.\nBe brief.",
                       "--opening", "こんにちは", "--suggest", "What is new?", "--kb", kb_id,
                       "--param", "temperature=0.6", "--exhaustive", "on")  # fmt: skip
    assert code == 0, err
    return kura


def test_signed_export_checks_with_ssh_keygen_and_imports_elsewhere(
    source: Kura, tmp_path: Path
) -> None:
    ssh_keygen = need("ssh-keygen")
    out = tmp_path / "helper.yaml"
    code, _, err = _as(source, "mo", MEMBER_PW, "apps", "export", "helper", "--out", str(out))
    assert code == 3 and not out.exists() and len(err.strip().splitlines()) == 1
    code, text, err = _as(source, "eve", EDITOR_PW, "apps", "export", "helper",
                          "--out", str(out), "--sign", "--json")  # fmt: skip
    assert code == 0, err
    exported = json.loads(text)
    sig = Path(exported["signature"])
    assert sig == tmp_path / "helper.yaml.sig" and exported["key_fingerprint"].startswith("SHA256:")
    assert "Answer about {{topic}}" in out.read_text(encoding="utf-8")
    with out.open("rb") as message:
        check = subprocess.run(
            [ssh_keygen, "-Y", "check-novalidate", "-n", "kura-app-template@v1", "-s", str(sig)],
            stdin=message, capture_output=True, text=True,
        )  # fmt: skip
    assert check.returncode == 0, check.stderr
    code, _, err = _as(source, "eve", EDITOR_PW, "apps", "export", "helper", "--out", str(out))
    assert code == 2 and "already exists" in err  # never overwritten

    target = workspace_with_owner(tmp_path / "b", "boss", OWNER_PW)
    _people(target)
    _model(target, tmp_path, "other", "qwen2")  # not the template's file
    imp = ("apps", "import", str(out), "--json")
    code, _, err = _as(target, "mo", MEMBER_PW, *imp)
    assert code == 3
    # signed by a workspace the target does not trust: refused, until its Owner trusts it
    code, _, err = _as(target, "eve", EDITOR_PW, *imp, "--model", "other")
    assert code == 1 and len(err.strip().splitlines()) == 1 and "kura keys trust" in err, err
    assert exported["key_fingerprint"] in err
    code, signers, err = _as(source, "boss", OWNER_PW, "logs", "pubkey")
    assert code == 0, err
    (tmp_path / "source.pub").write_text(signers, encoding="utf-8")
    code, _, err = _as(target, "boss", OWNER_PW, "keys", "trust", str(tmp_path / "source.pub"))
    assert code == 0, err
    code, _, err = _as(target, "eve", EDITOR_PW, *imp)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "--model" in err, err
    code, _, err = _as(target, "eve", EDITOR_PW, *imp, "--model", "other")
    assert code == 2 and "Handbook" in err and "--kb" in err, err
    code, _, err = _as(target, "boss", OWNER_PW, "kb", "create", "--name", "Manual",
                       "--visibility", "all")  # fmt: skip
    assert code == 0, err

    tampered = tmp_path / "tampered.yaml"
    tampered.write_bytes(out.read_bytes().replace(b"Be brief.", b"Be BRIEF."))
    (tmp_path / "tampered.yaml.sig").write_bytes(sig.read_bytes())
    code, _, err = _as(target, "eve", EDITOR_PW, "apps", "import", str(tampered),
                       "--model", "other", "--kb", "Handbook=Manual")  # fmt: skip
    assert code == 1 and len(err.strip().splitlines()) == 1 and "signature" in err, err
    assert "Traceback" not in err
    code, listed, _ = _as(target, "eve", EDITOR_PW, "apps", "list", "--json")
    assert json.loads(listed)["apps"] == []

    code, text, err = _as(target, "eve", EDITOR_PW, *imp, "--model", "other",
                          "--kb", "Handbook=Manual")  # fmt: skip
    assert code == 0, err
    made = json.loads(text)
    assert made["name"] == "helper" and made["model_matches"] is False
    assert made["signer"]["fingerprint"] == exported["key_fingerprint"]
    assert made["signer"]["this_workspace"] is False
    assert made["signer"]["trusted_as"].startswith("kura-audit@")
    assert made["instructions"] == "Answer about {{topic}}.\nBe brief."
    assert made["params"]["temperature"] == 0.6 and made["exhaustive"] is True
    assert made["suggested_questions"] == ["What is new?"]
