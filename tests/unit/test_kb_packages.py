"""Knowledge-base packages through the services: two workspaces on fake engines (a hash
embedder), real SQLCipher, real age (pyrage) and real SSHSIG signatures."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop import app
from desktop.core.audit_actions import AuditAction
from desktop.core.errors import AlreadyExists, AppError, InputError, PermissionDenied
from desktop.core.kb_package import PackageRefused
from desktop.core.knowledge_models import RetrievalMode
from desktop.core.messages import Language
from desktop.core.models import Actor, Role
from desktop.security.age_crypto import AgePackageCrypto
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel, FakeInspector, FixedClock, MemoryKeyStore, MemorySource
from tests.fakes_retrieval import HashEmbedder
from tests.tools import fake_workspace

CANARY = "CANARY-kbpack-9f3e"
DOCS = {
    "tea.txt": "緑茶は日本で広く飲まれている。抹茶は茶道で使われる。",
    "coffee.md": "# Coffee\nEspresso is brewed under pressure. " + CANARY,
    "rivers.txt": "The Shinano is the longest river in Japan. The Tone drains Kanto.",
}


@dataclass
class Side:
    ws: app.Workspace
    owner: Actor

    def kb_names(self) -> list[str]:
        return [k.name for k in self.ws.knowledge.list(self.owner)]

    def actions(self) -> list[str]:
        with self.ws.store.transaction() as tx:
            return [e.action for e in tx.audit.iter_events()]

    def events(self, action: AuditAction) -> list[dict[str, object]]:
        with self.ws.store.transaction() as tx:
            return [e.payload or {} for e in tx.audit.iter_events() if e.action == action]


def _engines(name: str = "hash") -> app.Engines:
    return app.Engines(
        FakeInspector(), FakeChatModel(), embedder_factory=lambda _: HashEmbedder(64, name=name)
    )


@pytest.fixture
def sides(
    tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock, request: pytest.FixtureRequest
) -> Iterator[dict[str, Side]]:
    """Workspaces "a" (the sender, with a knowledge base "docs"), "b" (the receiver, same
    embedding model) and "c" (another embedding model), sharing one test keyring."""
    with ExitStack() as stack:
        out = {}
        for name, model in (("a", "hash"), ("b", "hash"), ("c", "other")):
            ws = stack.enter_context(
                fake_workspace(
                    tmp_path / name,
                    key_store,
                    clock,
                    _engines(model),
                    owner_password=PEOPLE_PASSWORD,
                )
            )
            out[name] = Side(ws, ws.accounts.authenticate("owner", PEOPLE_PASSWORD))
        a = out["a"]
        kb = a.ws.knowledge.create(a.owner, "docs", description="shared notes")
        sources = [MemorySource(n, t.encode("utf-8")) for n, t in DOCS.items()]
        a.ws.knowledge.ingest(a.owner, kb.id, sources)
        a.ws.knowledge.ingest(
            a.owner, kb.id, [MemorySource("tea.txt", "ほうじ茶は焙煎した緑茶である。".encode())]
        )
        a.ws.knowledge.rollback(a.owner, kb.id, "tea.txt", 1)  # v2 exists, v1 is active
        yield out


def _trust(sender: Side, receiver: Side) -> None:
    receiver.ws.kb_packages.keys.trust(receiver.owner, sender.ws.logs.allowed_signers(sender.owner))


def _export_to(sender: Side, receiver: Side, tmp_path: Path) -> bytes:
    recipient = receiver.ws.kb_packages.keys.public_key(receiver.owner)
    written: list[bytes] = []
    sender.ws.kb_packages.export(sender.owner, "docs", written.append, recipients=[recipient])
    return written[0]


def _state(side: Side, kb: str | int) -> list[tuple[str, int, str, bool]]:
    docs = side.ws.knowledge.documents(side.owner, kb)
    return [
        (v.name, v.version, v.sha256, v.active)
        for d in docs
        for v in side.ws.knowledge.versions(side.owner, kb, d.name)
    ]


def _hits(side: Side, kb: str | int, query: str) -> list[tuple[str, int, int, str]]:
    hits = side.ws.knowledge.search(side.owner, kb, query, k=3, mode=RetrievalMode.VECTOR)
    return [(h.chunk.document, h.chunk.version, h.chunk.index, h.chunk.text) for h in hits]


def _one_line(exc: AppError) -> None:
    for language in Language:
        text = exc.render(language)
        assert "\n" not in text and "{" not in text and text.strip(), text


def test_export_then_import_gives_the_same_documents_versions_and_passages(
    sides: dict[str, Side], tmp_path: Path
) -> None:
    a, b = sides["a"], sides["b"]
    data = _export_to(a, b, tmp_path)
    assert CANARY.encode() not in data and b"Espresso" not in data
    _trust(a, b)
    done = b.ws.kb_packages.import_package(b.owner, data)
    assert done.kb.name == "docs" and done.added == 4 and done.skipped == 0
    assert not done.reembedded
    assert _state(b, "docs") == _state(a, "docs")
    for query in (DOCS["rivers.txt"], DOCS["tea.txt"], "Espresso " + CANARY):
        assert _hits(b, "docs", query) == _hits(a, "docs", query)
    assert b.ws.knowledge.get(b.owner, "docs").description == "shared notes"
    # audited on both sides with the package's SHA-256
    sent = a.events(AuditAction.KB_PACKAGE_EXPORTED)
    got = b.events(AuditAction.KB_PACKAGE_IMPORTED)
    assert sent[0]["package_sha256"] == got[0]["package_sha256"] == done.sha256
    assert got[0]["versions_added"] == 4


def test_importing_again_adds_nothing_and_a_taken_name_needs_into(
    sides: dict[str, Side], tmp_path: Path
) -> None:
    a, b = sides["a"], sides["b"]
    data = _export_to(a, b, tmp_path)
    _trust(a, b)
    b.ws.kb_packages.import_package(b.owner, data)
    before = _state(b, "docs")
    with pytest.raises(AlreadyExists) as err:
        b.ws.kb_packages.import_package(b.owner, data)
    assert "--into docs" in err.value.message
    again = b.ws.kb_packages.import_package(b.owner, data, into="docs")
    assert (again.added, again.skipped) == (0, 4)
    assert _state(b, "docs") == before
    # a new version on the sender's side arrives as a new version only
    a.ws.knowledge.ingest(a.owner, "docs", [MemorySource("rivers.txt", b"The Kiso river.")])
    newer = _export_to(a, b, tmp_path)
    third = b.ws.kb_packages.import_package(b.owner, newer, into="docs")
    assert (third.added, third.skipped) == (1, 4)
    assert [v.version for v in b.ws.knowledge.versions(b.owner, "docs", "rivers.txt")] == [1, 2]


def test_a_different_embedding_model_re_embeds(sides: dict[str, Side], tmp_path: Path) -> None:
    a, c = sides["a"], sides["c"]
    data = _export_to(a, c, tmp_path)
    _trust(a, c)
    done = c.ws.kb_packages.import_package(c.owner, data)
    assert done.reembedded
    assert _state(c, "docs") == _state(a, "docs")
    found = _hits(c, "docs", DOCS["rivers.txt"])
    assert found[0][0] == "rivers.txt"
    event = c.events(AuditAction.KB_PACKAGE_IMPORTED)[0]
    assert event["embedding_model"] == "other-64" and event["package_embedding_model"] == "hash-64"


def test_untrusted_signer_is_refused_and_nothing_changes(
    sides: dict[str, Side], tmp_path: Path
) -> None:
    a, b = sides["a"], sides["b"]
    data = _export_to(a, b, tmp_path)
    before = b.actions()
    with pytest.raises(PackageRefused) as err:
        b.ws.kb_packages.import_package(b.owner, data)
    assert err.value.code == "kbpackage.signer_untrusted" and err.value.exit_code == 1
    assert "kura keys trust" in err.value.message
    _one_line(err.value)
    # trusting another workspace's key does not help
    _trust(sides["c"], b)
    with pytest.raises(PackageRefused):
        b.ws.kb_packages.import_package(b.owner, data)
    assert b.kb_names() == []
    assert AuditAction.KB_PACKAGE_IMPORTED not in b.actions()[len(before) :]


def test_a_package_for_someone_else_is_refused(sides: dict[str, Side], tmp_path: Path) -> None:
    a, b = sides["a"], sides["b"]
    _trust(a, b)
    b.ws.kb_packages.keys.public_key(b.owner)  # b has an exchange key, but not this one
    _, stranger = AgePackageCrypto().new_identity()
    written: list[bytes] = []
    a.ws.kb_packages.export(a.owner, "docs", written.append, recipients=[stranger])
    with pytest.raises(PackageRefused) as err:
        b.ws.kb_packages.import_package(b.owner, written[0])
    assert err.value.code == "kbpackage.cannot_decrypt"
    _one_line(err.value)
    assert b.kb_names() == []


def test_passphrase_packages(sides: dict[str, Side], tmp_path: Path) -> None:
    a, b = sides["a"], sides["b"]
    _trust(a, b)
    written: list[bytes] = []
    a.ws.kb_packages.export(a.owner, "docs", written.append, passphrase="river tea 42")
    data = written[0]
    assert data.startswith(b"age-encryption.org/v1\n-> scrypt ")
    with pytest.raises(PackageRefused) as wrong:
        b.ws.kb_packages.import_package(b.owner, data, passphrase="not it")
    assert wrong.value.code == "kbpackage.wrong_passphrase"
    _one_line(wrong.value)
    with pytest.raises(InputError) as missing:
        b.ws.kb_packages.import_package(b.owner, data)
    assert missing.value.code == "kbpackage.passphrase_needed"
    assert b.kb_names() == []
    b.ws.kb_packages.import_package(b.owner, data, passphrase="river tea 42")
    assert _state(b, "docs") == _state(a, "docs")


def test_export_needs_exactly_one_way_to_encrypt(sides: dict[str, Side]) -> None:
    a = sides["a"]
    with pytest.raises(InputError):
        a.ws.kb_packages.export(a.owner, "docs", lambda _: None)
    with pytest.raises(InputError) as bad:
        a.ws.kb_packages.export(a.owner, "docs", lambda _: None, recipients=["age1nope"])
    assert bad.value.code == "kbpackage.recipient_invalid"
    assert AuditAction.KB_PACKAGE_EXPORTED not in a.actions()


def test_roles(sides: dict[str, Side], tmp_path: Path) -> None:
    a, b = sides["a"], sides["b"]
    data = _export_to(a, b, tmp_path)
    recipient = b.ws.kb_packages.keys.public_key(b.owner)
    for name, role in (("ada", Role.ADMIN), ("eve", Role.EDITOR), ("mo", Role.MEMBER)):
        for side in (a, b):
            side.ws.accounts.add_user(side.owner, name, role, PEOPLE_PASSWORD)
    actors = {
        (s, n): side.ws.accounts.authenticate(n, PEOPLE_PASSWORD)
        for s, side in (("a", a), ("b", b))
        for n in ("ada", "eve", "mo")
    }
    for name in ("eve", "mo"):
        with pytest.raises(PermissionDenied):
            a.ws.kb_packages.export(actors["a", name], "docs", print, recipients=[recipient])
        with pytest.raises(PermissionDenied):
            b.ws.kb_packages.import_package(actors["b", name], data)
        with pytest.raises(PermissionDenied):
            b.ws.kb_packages.keys.public_key(actors["b", name])
    with pytest.raises(PermissionDenied):  # only the Owner decides whom to trust
        b.ws.kb_packages.keys.trust(actors["b", "ada"], a.ws.logs.allowed_signers(a.owner))
    _trust(a, b)
    assert b.ws.kb_packages.keys.trusted(actors["b", "ada"])[0]["principals"].startswith(
        "kura-audit@"
    )
    done = b.ws.kb_packages.import_package(actors["b", "ada"], data)
    assert done.kb.created_by == "ada"


def test_a_thousand_single_byte_changes_are_all_refused(
    sides: dict[str, Side], tmp_path: Path
) -> None:
    a, b = sides["a"], sides["b"]
    data = _export_to(a, b, tmp_path)
    _trust(a, b)
    before = b.actions()
    rng = random.Random(19)
    codes: dict[str, int] = {}
    for _ in range(1000):
        changed = bytearray(data)
        at = rng.randrange(len(changed))
        changed[at] = (changed[at] + rng.randrange(1, 256)) % 256
        with pytest.raises(AppError) as err:
            b.ws.kb_packages.import_package(b.owner, bytes(changed))
        assert err.value.exit_code in (1, 2)
        assert "\n" not in err.value.message
        codes[err.value.code] = codes.get(err.value.code, 0) + 1
    assert set(codes) <= {
        "kbpackage.cannot_decrypt",
        "kbpackage.not_a_package",
        "kbpackage.passphrase_needed",
    }, codes
    assert b.kb_names() == [] and b.actions() == before


def test_a_package_re_encrypted_after_a_change_fails_its_signature(
    sides: dict[str, Side], tmp_path: Path
) -> None:
    """The receiver's key is public: whoever alters the content and encrypts it again
    to the receiver is stopped by the signature."""
    a, b = sides["a"], sides["b"]
    data = _export_to(a, b, tmp_path)
    _trust(a, b)
    crypto = AgePackageCrypto()
    identity = b.ws.kb_packages.keys.identity()
    assert identity is not None
    plain = crypto.decrypt(data, identity)
    recipient = crypto.recipient_of(identity)
    rng = random.Random(7)
    codes = set()
    for _ in range(100):
        changed = bytearray(plain)
        at = rng.randrange(len(changed))
        changed[at] ^= 1 << rng.randrange(8)
        with pytest.raises(AppError) as err:
            b.ws.kb_packages.import_package(b.owner, crypto.encrypt(bytes(changed), [recipient]))
        codes.add(err.value.code)
        _one_line(err.value)
    assert codes <= {"kbpackage.signature_invalid", "kbpackage.malformed"}, codes
    assert "kbpackage.signature_invalid" in codes
    assert b.kb_names() == []


def test_trust_takes_only_whole_ed25519_allowed_signers_lines(sides: dict[str, Side]) -> None:
    a, b = sides["a"], sides["b"]
    line = a.ws.logs.allowed_signers(a.owner).splitlines()[0]
    for bad in (
        "",
        "# only a comment",
        "kura-audit@x ssh-ed25519",
        line.replace(" ssh-", " cert-authority ssh-", 1),
    ):
        with pytest.raises(InputError) as err:
            b.ws.kb_packages.keys.trust(b.owner, bad)
        _one_line(err.value)
    assert b.ws.kb_packages.keys.trusted(b.owner) == []
    added = b.ws.kb_packages.keys.trust(b.owner, line + "\n" + line + "\n")
    assert len(added) == 1 and b.ws.kb_packages.keys.trust(b.owner, line) == []
    [listed] = b.ws.kb_packages.keys.trusted(b.owner)
    assert listed["fingerprint"].startswith("SHA256:") and listed["added_by"] == "owner"
    assert b.events(AuditAction.SIGNER_TRUSTED)[0]["added"] == [
        {"principals": listed["principals"], "fingerprint": listed["fingerprint"]}
    ]


def test_a_trusted_line_signs_only_in_the_namespaces_it_names(
    sides: dict[str, Side], tmp_path: Path
) -> None:
    """A line trusted from an older ``kura logs pubkey`` names the audit-bundle namespace
    only: packages signed by that key are refused, naming the remedy, until the current
    lines (audit bundles, packages, templates) are trusted again, which replaces it."""
    a, b = sides["a"], sides["b"]
    current = a.ws.logs.allowed_signers(a.owner).splitlines()[0]
    assert 'namespaces="kura-audit-bundle@v1,kura-kb-package@v1,kura-app-template@v1"' in current
    old = re.sub(r'namespaces="[^"]*"', 'namespaces="kura-audit-bundle@v1"', current)
    b.ws.kb_packages.keys.trust(b.owner, old)
    data = _export_to(a, b, tmp_path)
    with pytest.raises(PackageRefused) as err:
        b.ws.kb_packages.import_package(b.owner, data)
    assert err.value.code == "kbpackage.signer_namespace" and err.value.exit_code == 1
    assert "kura-kb-package@v1" in err.value.message and "kura logs pubkey" in err.value.message
    _one_line(err.value)
    assert b.kb_names() == []
    assert b.ws.kb_packages.keys.trust(b.owner, current) != []
    [listed] = b.ws.kb_packages.keys.trusted(b.owner)  # the new line replaced the old
    assert listed["line"] == current
    b.ws.kb_packages.import_package(b.owner, data)
    assert b.kb_names() != []
