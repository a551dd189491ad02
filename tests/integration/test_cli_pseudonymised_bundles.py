"""Pseudonymised bundles end to end: stock ``ssh-keygen -Y verify`` and ``sha256sum -c``,
``kura verify --check-value`` and the shipped ``verify_bundle.py --check-value``, and
``kura logs export --pseudonymise`` / ``kura logs prove`` refusing in one line.

The bundle is made in-process with the deterministic fake detector (the CLI has no
detector until the real one is wired in); everything after that runs as an auditor
would, without Kura's workspace."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

from desktop import app
from desktop.core.chat_models import AppConfig
from desktop.core.models import Actor
from desktop.core.pii import PiiType
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel, FakeInspector, FixedClock, MemoryKeyStore
from tests.fakes_pii import FakePiiDetector
from tests.integration.cli_support import Kura, workspace_with_owner
from tests.tools import fake_workspace, need

MY_NUMBER = "123456789018"
OWNER_PW = "correct horse battery staple 蔵"


def _ask(ws: app.Workspace, fake: FakeChatModel, owner: Actor, tmp_path: Path) -> None:
    """A turn whose question holds the canary My Number."""
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 32)
    model_id = ws.models.register(owner, str(model), name="m").id
    app_id = ws.apps.create(owner, AppConfig(name="hr", model_id=model_id)).id
    fake.replies = [["Noted."]]
    ws.chat.send(owner, app_id, f"My Number {MY_NUMBER}, please file it")


def _pseudonymised_bundle(tmp_path: Path) -> tuple[Path, str, str]:
    """(bundle path, pinned allowed_signers, the canary's opening)."""
    fake = FakeChatModel()
    engines = app.Engines(FakeInspector(), fake, pii_detector=FakePiiDetector())
    with fake_workspace(
        tmp_path / "w", MemoryKeyStore(), FixedClock(), engines, owner_password=PEOPLE_PASSWORD
    ) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        _ask(ws, fake, owner, tmp_path)
        export = ws.logs.export(owner, pseudonymise=True)
        assert export.pseudonymised >= 1
        opening = ws.logs.prove(owner, export.data, PiiType.MY_NUMBER, MY_NUMBER)["opening"]
        signers = ws.logs.allowed_signers(owner)
    out = tmp_path / "bundle.zip"
    out.write_bytes(export.data)
    return out, signers, str(opening)


def test_a_pseudonymised_bundle_verifies_with_stock_tools_and_checks_a_disclosed_value(
    tmp_path: Path,
) -> None:
    ssh_keygen, sha256sum = need("ssh-keygen"), need("sha256sum")
    out, signers, opening = _pseudonymised_bundle(tmp_path)
    pinned = tmp_path / "allowed_signers"
    pinned.write_text(signers)
    folder = tmp_path / "x"
    with zipfile.ZipFile(out) as z:
        z.extractall(folder)
    events = (folder / "events.jsonl").read_text(encoding="utf-8")
    assert "<MY_NUMBER:" in events and MY_NUMBER not in events
    with (folder / "SHA256SUMS").open("rb") as sums:
        check = subprocess.run(
            [ssh_keygen, "-Y", "verify", "-f", str(pinned), "-I", signers.split()[0],
             "-n", "kura-audit-bundle@v1", "-s", "SHA256SUMS.sig"],
            stdin=sums, cwd=folder, capture_output=True, text=True,
        )  # fmt: skip
    assert check.returncode == 0, check.stderr
    assert subprocess.run([sha256sum, "-c", "SHA256SUMS"], cwd=folder).returncode == 0
    alone = subprocess.run(
        ["python3", "-I", "verify_bundle.py", "--allowed-signers", str(pinned),
         "--check-value", "MY_NUMBER", MY_NUMBER, opening],
        cwd=folder, capture_output=True, text=True,
    )  # fmt: skip
    assert alone.returncode == 0, alone.stdout
    assert "pseudonymised" in alone.stdout and "VALUE MATCHES" in alone.stdout
    wrong = subprocess.run(
        ["python3", "-I", "verify_bundle.py", "--allowed-signers", str(pinned),
         "--check-value", "MY_NUMBER", "123456789019", opening],
        cwd=folder, capture_output=True, text=True,
    )  # fmt: skip
    assert wrong.returncode == 1 and "VALUE DOES NOT MATCH" in wrong.stdout
    elsewhere = Kura(tmp_path / "nowhere", tmp_path / "tmp2")
    res = elsewhere("verify", str(out), "--allowed-signers", str(pinned),
                    "--check-value", "MY_NUMBER", MY_NUMBER, opening)  # fmt: skip
    assert res.code == 0 and res.out.startswith("OK") and "VALUE MATCHES" in res.out, res.err
    res = elsewhere("verify", str(out), "--allowed-signers", str(pinned),
                    "--check-value", "PERSON", MY_NUMBER, opening)  # fmt: skip
    assert res.code == 1 and "VALUE DOES NOT MATCH" in res.out
    res = elsewhere("verify", str(out), "--check-value", "MY_NUMBER", MY_NUMBER, "xyz")
    assert res.code == 2 and "not an opening" in res.err and "Traceback" not in res.err
    # one changed byte inside a pseudonymised payload: stock tools and kura verify refuse
    at = events.encode("utf-8").index(b"<MY_NUMBER:") + 12
    data = bytearray((folder / "events.jsonl").read_bytes())
    data[at] ^= 0x01
    (folder / "events.jsonl").write_bytes(bytes(data))
    assert subprocess.run([sha256sum, "--quiet", "-c", "SHA256SUMS"], cwd=folder,
                          capture_output=True).returncode != 0  # fmt: skip
    res = elsewhere("verify", str(folder), "--allowed-signers", str(pinned))
    assert res.code == 1 and res.out.startswith("FAILED:") and "events.jsonl" in res.out


def test_logs_prove_refuses_a_plain_bundle_and_an_unknown_type_in_one_line(
    tmp_path: Path,
) -> None:
    """(Without a detector ``--pseudonymise`` is refused: the service tests prove it; the
    command line always has the hosted one.)"""
    kura = workspace_with_owner(tmp_path, "boss", OWNER_PW)
    out = tmp_path / "bundle.zip"
    res = kura("logs", "export", "--out", str(out),
               "--user", "boss", "--password-stdin", stdin=OWNER_PW + "\n")  # fmt: skip
    assert res.code == 0, res.err
    res = kura("logs", "prove", str(out), "--type", "PERSON", "--value-stdin",
               "--user", "boss", "--password-stdin", stdin=OWNER_PW + "\n山田太郎\n")  # fmt: skip
    assert res.code == 2 and "not a pseudonymised bundle" in res.err and "Traceback" not in res.err
    assert len(res.err.strip().splitlines()) == 1
    res = kura("logs", "prove", str(out), "--type", "NAME", "--value", "x",
               "--user", "boss", "--password-stdin", stdin=OWNER_PW + "\n")  # fmt: skip
    assert res.code == 2 and "not a personal-data type" in res.err


def test_logs_prove_prints_an_opening_that_kura_verify_accepts(tmp_path: Path) -> None:
    """The bundle is exported in-process (the fake detector) from the CLI's workspace;
    ``kura logs prove`` then finds its key there, and the opening checks out."""
    kura = workspace_with_owner(tmp_path, "boss", OWNER_PW)
    fake = FakeChatModel()
    engines = app.Engines(FakeInspector(), fake, pii_detector=FakePiiDetector())
    with app.open_workspace(
        kura.data_dir, key_store=app.default_key_store(), engines=engines
    ) as ws:
        boss = ws.accounts.authenticate("boss", OWNER_PW)
        _ask(ws, fake, boss, tmp_path)
        export = ws.logs.export(boss, pseudonymise=True)
    out = tmp_path / "pseudonymised.zip"
    out.write_bytes(export.data)
    secrets = f"{OWNER_PW}\n{MY_NUMBER}\n"  # the value after the password, off the command line
    res = kura("logs", "prove", str(out), "--type", "my_number", "--value-stdin", "--json",
               "--user", "boss", "--password-stdin", stdin=secrets)  # fmt: skip
    assert res.code == 0, res.err
    proof = json.loads(res.out)
    assert proof["placeholder"].startswith("<MY_NUMBER:") and len(proof["opening"]) == 64
    elsewhere = Kura(tmp_path / "nowhere", tmp_path / "tmp2")
    res = elsewhere("verify", str(out), "--fingerprint", export.fingerprint,
                    "--check-value", "MY_NUMBER", MY_NUMBER, proof["opening"])  # fmt: skip
    assert res.code == 0 and proof["placeholder"] in res.out, res.out
