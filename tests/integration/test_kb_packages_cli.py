"""Knowledge-base packages end to end: the real ``kura`` CLI, the real keyring (run under
tests/with_secret_service.sh), the real packaged embedder, two workspaces.

Workspace "a" exports a knowledge base to workspace "b"'s exchange key; "b" refuses it
until its Owner trusts "a"'s signing key, then imports it and finds the same passages.
No file either side wrote (databases, packages, temporary folders) holds a canary from
the documents in plaintext. ``kill -9`` during an import, again and again, never leaves
a half-imported knowledge base.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.integration.cli_support import REPO, Kura, Result, require_secret_service

pytestmark = [pytest.mark.keyring, pytest.mark.slow]

PW = "correct horse battery staple"
CANARY = "CANARY-kbpack-c41d"
KANA_CANARY = "カナリア-パッケージ-77"
KILLS = 10


def _docs(folder: Path) -> None:
    folder.mkdir()
    (folder / "canary.txt").write_text(
        f"The vault code is {CANARY}. 金庫の番号は {KANA_CANARY} です。\n", encoding="utf-8"
    )
    topics = ["rivers", "tea", "volcanoes", "trains", "castles", "printing", "rice", "silk"]
    for i, topic in enumerate(topics):
        body = "".join(
            f"Note {j} on {topic}: the {topic} of region {i} were recorded in year {1800 + j}.\n"
            for j in range(40)
        )
        (folder / f"{topic}.txt").write_text(body, encoding="utf-8")


@dataclass
class Pair:
    a: Kura
    b: Kura
    package: Path
    pubkey: Path
    root: Path
    inputs: Path


def _run(k: Kura, *args: str, stdin: str = "") -> Result:
    return k(*args, "--user", "owner", "--password-stdin", stdin=PW + "\n" + stdin)


def _ok(res: Result) -> Result:
    assert res.code == 0, res.err
    return res


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Pair:
    require_secret_service()
    root = tmp_path_factory.mktemp("kbpack")
    a = Kura(root / "a", root / "tmp-a")
    b = Kura(root / "b", root / "tmp-b")
    a.init("owner", PW)
    b.init("owner", PW)
    inputs = root / "inputs"  # the plaintext originals: the one place a canary may be
    _docs(inputs)
    _ok(_run(a, "kb", "create", "--name", "docs"))
    _ok(_run(a, "kb", "add", "docs", str(inputs)))
    recipient = _ok(_run(b, "keys", "exchange-pubkey", "--json")).json()["recipient"]
    assert recipient.startswith("age1")
    pubkey = root / "out" / "a.pub"
    pubkey.parent.mkdir()
    pubkey.write_text(_ok(_run(a, "logs", "pubkey")).out, encoding="utf-8")
    package = root / "out" / "docs.kbpkg"
    _ok(_run(a, "kb", "export", "docs", "--out", str(package), "--to", recipient))
    return Pair(a, b, package, pubkey, root, inputs)


def _one_line_refusal(res: Result, code: int) -> str:
    assert res.code == code, (res.code, res.err)
    assert len(res.err_lines) == 1 and "Traceback" not in res.err, res.err
    return res.err_lines[0]


def _kbs(k: Kura) -> dict[str, Any]:
    found = _ok(_run(k, "kb", "list", "--json")).json()["knowledge_bases"]
    return {kb["name"]: kb for kb in found}


def _search(k: Kura, query: str) -> list[tuple[str, int, int, str]]:
    hits = _ok(_run(k, "kb", "search", "docs", query, "--k", "4", "--json")).json()["results"]
    return [(h["document"], h["version"], h["chunk"], h["text"]) for h in hits]


def test_refused_until_trusted_then_same_passages_and_no_plaintext(pair: Pair) -> None:
    a, b = pair.a, pair.b
    line = _one_line_refusal(_run(b, "kb", "import", str(pair.package)), 1)
    assert "does not trust" in line and "kura keys trust" in line
    assert "docs" not in _kbs(b)
    trusted = _ok(_run(b, "keys", "trust", str(pair.pubkey), "--json")).json()["added"]
    assert trusted and trusted[0]["principals"].startswith("kura-audit@")
    done = _ok(_run(b, "kb", "import", str(pair.package), "--json")).json()
    assert done["versions_added"] == 9 and not done["reembedded"]
    for query in ("what is the vault code", "tea of region 1", "castles recorded in 1812"):
        assert _search(b, query) == _search(a, query)
    again = _one_line_refusal(_run(b, "kb", "import", str(pair.package)), 2)
    assert "--into docs" in again
    # nothing any of this wrote holds a canary in plaintext
    needles = [s.encode(enc) for s in (CANARY, KANA_CANARY) for enc in ("utf-8", "utf-16-le")]
    for path in pair.root.rglob("*"):
        if path.is_file() and pair.inputs not in path.parents:
            data = path.read_bytes()
            assert not any(n in data for n in needles), path


def test_a_package_for_another_workspace_and_a_wrong_passphrase(pair: Pair) -> None:
    a = pair.a
    c = Kura(pair.root / "c", pair.root / "tmp-c")
    c.init("owner", PW)
    _ok(_run(c, "keys", "exchange-pubkey"))
    _ok(_run(c, "keys", "trust", str(pair.pubkey)))
    line = _one_line_refusal(_run(c, "kb", "import", str(pair.package)), 1)
    assert "cannot be decrypted" in line and "kura keys exchange-pubkey" in line
    sealed = pair.root / "out" / "docs-pass.kbpkg"
    _ok(
        _run(
            a, "kb", "export", "docs", "--out", str(sealed), "--passphrase-stdin", stdin="s3cret\n"
        )
    )
    line = _one_line_refusal(
        _run(c, "kb", "import", str(sealed), "--passphrase-stdin", stdin="wrong\n"), 1
    )
    assert "passphrase" in line
    line = _one_line_refusal(_run(c, "kb", "import", str(sealed)), 2)
    assert "--passphrase-stdin" in line
    assert _kbs(c) == {}
    done = _ok(
        _run(c, "kb", "import", str(sealed), "--passphrase-stdin", "--json", stdin="s3cret\n")
    ).json()
    assert done["versions_added"] == 9
    # export never overwrites
    line = _one_line_refusal(
        _run(a, "kb", "export", "docs", "--out", str(sealed), "--passphrase-stdin", stdin="x\n"), 2
    )


def _import_child(k: Kura, package: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [
            *(sys.executable, "-m", "desktop", "kb", "import", str(package)),
            *("--into", "docs", "--user", "owner", "--password-stdin"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=REPO,
        env=k.env,
    )
    assert child.stdin
    child.stdin.write(PW + "\n")
    child.stdin.close()
    return child


def _documents(k: Kura) -> int:
    return len(_ok(_run(k, "kb", "docs", "docs", "--json")).json()["documents"])


def test_kill_9_during_import_never_leaves_a_half_imported_knowledge_base(pair: Pair) -> None:
    """Each round imports the package into an empty knowledge base and kills the import
    at a random moment: afterwards the knowledge base holds either none of the package or
    all of it, and the workspace opens."""
    d = Kura(pair.root / "d", pair.root / "tmp-d")
    d.init("owner", PW)
    _ok(_run(d, "keys", "trust", str(pair.pubkey)))
    recipient = _ok(_run(d, "keys", "exchange-pubkey", "--json")).json()["recipient"]
    package = pair.root / "out" / "docs-d.kbpkg"
    _ok(_run(pair.a, "kb", "export", "docs", "--out", str(package), "--to", recipient))
    _ok(_run(d, "kb", "create", "--name", "docs"))
    start = time.monotonic()
    _ok(_run(d, "kb", "import", str(package), "--into", "docs"))
    took = time.monotonic() - start
    full = _documents(d)
    assert full == 9
    rng = random.Random(1919)
    killed = completed = 0
    rounds = 0
    _ok(_run(d, "kb", "delete", "docs"))
    _ok(_run(d, "kb", "create", "--name", "docs"))
    while killed < KILLS:
        rounds += 1
        assert rounds < 4 * KILLS, f"only {killed} of {rounds} imports were killed in time"
        child = _import_child(d, package)
        time.sleep(rng.uniform(0.4, 1.1) * took)  # late in the run: in the transaction too
        child.send_signal(signal.SIGKILL)
        code = child.wait()
        killed += code == -signal.SIGKILL
        now = _documents(d)  # opens the workspace: it survived
        assert now in (0, full), f"half-imported: {now} of {full} documents"
        if now == full:  # it committed before the kill: start again from an empty kb
            completed += 1
            _ok(_run(d, "kb", "delete", "docs"))
            _ok(_run(d, "kb", "create", "--name", "docs"))
    doctor = d("doctor", "--json")
    assert doctor.code == 0, doctor.out + doctor.err
    print(f"\nkill -9 during import: {killed} killed, {completed} completed, {rounds} rounds")
