"""The personal-data policies end to end with the REAL hosted detector (Presidio + GiNZA
in its model host, as ``Engines.local()`` makes it) and the real demo model: what
crosses into the chat host holds no value, the answer shown has them back, the audit
log and exported bundles hold none, the chain still verifies with stock tools, and a
redacting knowledge base stores, finds and cites only placeholders.

One set of hosts serves the module (the detector's host takes ~30 s to load)."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop import app
from desktop.core.chat_models import AppConfig, SamplingParams
from desktop.core.knowledge_models import KbSettings
from desktop.security.passwords import Argon2PasswordHasher
from tests.fakes import MemoryKeyStore, MemorySource
from tests.fakes_retrieval import HashEmbedder
from tests.integration.cli_support import Kura
from tests.tools import need

pytestmark = pytest.mark.slow
PW = "a long enough passphrase"
#: canaries: a valid My Number, a Japanese name with an honorific, a phone, an e-mail
MY_NUMBER, NAME, PHONE, EMAIL = (
    "123456789018",
    "山田太郎",
    "090-1234-5678",
    "taro.yamada@example.co.jp",
)
CANARIES = (MY_NUMBER, NAME, PHONE, EMAIL)
FAST = Argon2PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


class Recording:
    """The hosted chat model, with every prompt sent to the host and every raw piece
    that came back recorded."""

    def __init__(self, inner: Any) -> None:
        self._inner, self.prompts, self.raw = inner, [], []  # type: list[str]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def generate(self, prompt: str, *args: Any, **kwargs: Any) -> Any:
        self.prompts.append(prompt)
        generation = self._inner.generate(prompt, *args, **kwargs)
        raw = self.raw

        class Pieces:
            def __getattr__(self, name: str) -> Any:
                return getattr(generation, name)

            def __iter__(self) -> Iterator[str]:
                for piece in generation:
                    raw.append(piece)
                    yield piece

        return Pieces()


@pytest.fixture(scope="module")
def hosts() -> Iterator[app.Engines]:
    """``Engines.local()``: the real chat host and the real personal-data host."""
    local = app.Engines.local()
    try:
        assert type(local.pii_detector).__name__ == "HostedPiiDetector"
        local.preload_pii()  # starts the detector's host and loads its model
        yield local
    finally:
        local.close()


@pytest.fixture
def setup(
    tmp_path: Path, demo_model_path: Path, hosts: app.Engines
) -> Iterator[tuple[app.Workspace, Recording, int]]:
    recording = Recording(hosts.chat_model)
    engines = dataclasses.replace(
        hosts, chat_model=recording, embedder_factory=lambda _: HashEmbedder(64)
    )
    keys = MemoryKeyStore()
    app.init_workspace(tmp_path / "w", "owner", PW, key_store=keys, hasher=FAST)
    with app.open_workspace(tmp_path / "w", key_store=keys, hasher=FAST, engines=engines) as w:
        owner = w.accounts.authenticate("owner", PW)
        model = w.models.register(owner, str(demo_model_path), name="demo")
        yield w, recording, model.id


def _audit(ws: app.Workspace) -> str:
    with ws.store.transaction() as tx:
        return "\n".join(json.dumps(e.payload, ensure_ascii=False) for e in tx.audit.iter_events())


def test_real_detector_the_model_host_sees_placeholders_and_the_user_sees_the_values(
    setup: tuple[app.Workspace, Recording, int],
) -> None:
    ws, model, model_id = setup
    owner = ws.accounts.authenticate("owner", PW)
    params = SamplingParams(max_tokens=64, temperature=0, seed=1)
    ws.apps.create(
        owner, AppConfig(name="helper", model_id=model_id, params=params, pseudonymise=True)
    )
    shown: list[str] = []
    message = f"Repeat exactly: {NAME}さん, your number {MY_NUMBER}, phone {PHONE}, mail {EMAIL}."
    result = ws.chat.send(owner, "helper", message, on_piece=shown.append)

    (prompt,) = model.prompts
    assert all(v not in prompt for v in CANARIES), prompt
    pairs = (  # Japanese placeholders: the message holds Japanese text
        ("〔人名1〕", NAME),
        ("〔マイナンバー1〕", MY_NUMBER),
        ("〔電話番号1〕", PHONE),
        ("〔メールアドレス1〕", EMAIL),
    )
    assert all(placeholder in prompt for placeholder, _ in pairs), prompt
    raw, answer = "".join(model.raw), result.turn.answer
    assert "".join(shown) == answer
    for placeholder, _ in pairs:
        assert placeholder not in answer  # restored wherever the model wrote it
    # (that the model repeats one and the user sees the value: the test below)
    audit = _audit(ws)
    assert all(v not in audit for v in CANARIES)
    print(f"\nraw answer: {raw!r}\nshown: {answer!r}")


def test_real_model_repeats_a_placeholder_and_the_user_sees_the_value_restored(
    setup: tuple[app.Workspace, Recording, int],
) -> None:
    """A message the demo model echoes, greedy (temperature 0, fixed seed): it writes the
    placeholder it was given, and the answer shown, streamed and stored, has the value."""
    ws, model, model_id = setup
    owner = ws.accounts.authenticate("owner", PW)
    params = SamplingParams(max_tokens=16, temperature=0, seed=1)
    ws.apps.create(
        owner, AppConfig(name="echo", model_id=model_id, params=params, pseudonymise=True)
    )
    shown: list[str] = []
    # greedy, the 270M model answers "Repeat exactly: <EMAIL_ADDRESS_1>" with an
    # incremented <EMAIL_ADDRESS_2>, and a quoted one with the placeholder as written
    result = ws.chat.send(owner, "echo", f'Say "{EMAIL}"', on_piece=shown.append)

    (prompt,) = model.prompts
    assert EMAIL not in prompt and 'Say "<EMAIL_ADDRESS_1>"' in prompt, prompt
    raw, answer = "".join(model.raw), result.turn.answer
    assert "<EMAIL_ADDRESS_1>" in raw and EMAIL not in raw, raw  # the model saw a placeholder
    assert EMAIL in answer and "<EMAIL_ADDRESS_1>" not in answer, answer  # the user, the value
    assert "".join(shown) == answer
    assert ws.chat.turns(owner, result.conversation_id)[0].answer == answer
    assert EMAIL not in _audit(ws)
    print(f"\nraw answer: {raw!r}\nshown: {answer!r}")


def _stock_verify(bundle: Path, signers: str, tmp_path: Path, name: str) -> str:
    """``ssh-keygen -Y verify`` and ``sha256sum -c`` on the unpacked bundle, then
    ``kura verify`` from a process without the workspace; the events' text."""
    ssh_keygen, sha256sum = need("ssh-keygen"), need("sha256sum")
    pinned = tmp_path / f"{name}.allowed_signers"
    pinned.write_text(signers)
    folder = tmp_path / name
    with zipfile.ZipFile(bundle) as z:
        z.extractall(folder)
    with (folder / "SHA256SUMS").open("rb") as sums:
        check = subprocess.run(
            [ssh_keygen, "-Y", "verify", "-f", str(pinned), "-I", signers.split(maxsplit=1)[0],
             "-n", "kura-audit-bundle@v1", "-s", "SHA256SUMS.sig"],
            stdin=sums, cwd=folder, capture_output=True, text=True,
        )  # fmt: skip
    assert check.returncode == 0, check.stderr
    assert subprocess.run([sha256sum, "--quiet", "-c", "SHA256SUMS"], cwd=folder).returncode == 0
    res = Kura(tmp_path / "nowhere", tmp_path / "tmp2")(
        "verify", str(bundle), "--allowed-signers", str(pinned)
    )
    assert res.code == 0 and res.out.startswith("OK"), res.out + res.err
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in folder.iterdir())


def test_real_detector_minimise_logs_keeps_a_my_number_out_of_the_log_and_bundles(
    setup: tuple[app.Workspace, Recording, int], tmp_path: Path
) -> None:
    ws, model, model_id = setup
    owner = ws.accounts.authenticate("owner", PW)
    params = SamplingParams(max_tokens=16, temperature=0, seed=1)
    ws.apps.create(owner, AppConfig(name="hr", model_id=model_id, params=params))
    ws.privacy.set_defaults(owner, minimise_logs=True)
    result = ws.chat.send(owner, "hr", f"私のマイナンバーは{MY_NUMBER}です。手続きを教えて")
    assert MY_NUMBER in model.prompts[-1]  # minimising the log does not mask the prompt
    assert MY_NUMBER in result.turn.user_text  # the user's own view keeps what they typed
    assert MY_NUMBER not in _audit(ws)
    assert ws.diagnostics.audit_chain().ok
    signers = ws.logs.allowed_signers(owner)
    for pseudonymise in (False, True):
        export = ws.logs.export(owner, pseudonymise=pseudonymise)
        bundle = tmp_path / f"bundle-{pseudonymise}.zip"
        bundle.write_bytes(export.data)
        assert MY_NUMBER.encode() not in export.data
        text = _stock_verify(bundle, signers, tmp_path, f"x-{pseudonymise}")
        assert MY_NUMBER not in text


def test_real_detector_redaction_at_ingestion_stores_searches_and_cites_placeholders(
    setup: tuple[app.Workspace, Recording, int],
) -> None:
    ws, model, model_id = setup
    owner = ws.accounts.authenticate("owner", PW)
    kb = ws.knowledge.create(owner, "hr-notes", settings=KbSettings(redact_pii=True))
    text = (
        f"# 面談記録\n\n{NAME}さん（電話 {PHONE}、メール {EMAIL}）と面談した。"
        f"マイナンバー {MY_NUMBER} を確認済み。ポンプの再起動手順を説明した。\n"
    )
    ws.knowledge.ingest(owner, kb.id, [MemorySource("notes.md", text.encode())])
    hits = ws.knowledge.search(owner, kb.id, "ポンプ 再起動 面談")
    assert hits and all(v not in h.chunk.text for h in hits for v in CANARIES)
    assert any("〔" in h.chunk.text for h in hits), [h.chunk.text for h in hits]
    params = SamplingParams(max_tokens=16, temperature=0, seed=1)
    config = AppConfig(name="kb-app", model_id=model_id, params=params, kb_ids=(kb.id,))
    ws.apps.create(owner, config)
    turn = ws.chat.send(owner, "kb-app", "ポンプの再起動について面談で何を説明した？").turn
    assert turn.citations
    for cited in turn.citations:  # the cited chunk, as the citation view shows it
        with ws.store.transaction() as tx:
            chunk = tx.knowledge.version_chunk(
                cited["kb_id"], cited["document"], cited["version"], cited["chunk"]
            )
        assert chunk is not None and "〔人名1〕" in chunk.text, chunk
        assert all(v not in chunk.heading + chunk.text for v in CANARIES)
    assert "〔人名1〕" in model.prompts[-1]  # the passage the model was given
    assert all(v not in model.prompts[-1] for v in CANARIES)
    # read with the key, every row of every table: no value anywhere in the database
    conn = ws.store._live()
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    for table in tables:
        for row in conn.execute(f'SELECT * FROM "{table}"').fetchall():
            cells = [c.decode("utf-8", "replace") if isinstance(c, bytes) else str(c) for c in row]
            assert not any(v in c for c in cells for v in (MY_NUMBER, PHONE, EMAIL)), table
            assert not any(f"{NAME}さん（" in c for c in cells), table
