"""App templates through the service: export -> import round trips, signatures, mapping
of models and knowledge bases, and roles (real SQLCipher, real Ed25519 signing, fake
chat model and embedder)."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import app
from desktop.core import app_template
from desktop.core.chat_models import AppConfig, SamplingParams
from desktop.core.errors import (
    AlreadyExists,
    AppError,
    InputError,
    KeyItemMissing,
    PermissionDenied,
)
from desktop.core.knowledge_models import KbVisibility
from desktop.core.models import Actor, Role
from desktop.core.services.app_templates import TemplateSignatureInvalid, TemplateSignerUntrusted
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel, FakeInspector, FixedClock, MemoryKeyStore
from tests.fakes_retrieval import HashEmbedder
from tests.tools import fake_workspace

INSTRUCTIONS = (
    "You answer questions about {{topic}} for the {{ team }} team.\n"
    "Quote the handbook; never guess.\n"
)


def _model(ws: app.Workspace, owner: Actor, folder: Path, name: str, body: bytes) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.gguf"
    path.write_bytes(b"GGUF" + body)
    return ws.models.register(owner, str(path), name=name).id


def _full_app(ws: app.Workspace, people: dict[str, Actor], tmp_path: Path) -> int:
    owner, eve = people["owner"], people["eve"]
    model_id = _model(ws, owner, tmp_path / "models", "gemma", b"\1" * 32)
    kb_ids = tuple(
        ws.knowledge.create(owner, name, visibility=KbVisibility.ALL).id
        for name in ("Handbook", "規程集")
    )
    config = AppConfig(
        name="HR helper 人事",
        model_id=model_id,
        description="Answers HR questions.\nTwo lines.",
        icon="🗂",
        instructions=INSTRUCTIONS,
        params=SamplingParams(
            temperature=0.7, top_p=0.9, top_k=40, max_tokens=300, repeat_penalty=1.1, seed=7
        ),
        opening_statement="こんにちは。What would you like to know?",
        suggested_questions=("How many vacation days?", "有給休暇は何日？"),
        kb_ids=kb_ids,
        variable_labels=(("team", "Team name"), ("topic", "トピック")),
        exhaustive=True,
        minimise_logs=True,
        pseudonymise=False,
    )
    return ws.apps.create(eve, config).id


@pytest.fixture
def ws2(tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock) -> Iterator[app.Workspace]:
    """A second workspace (another laptop) with the same people."""
    engines = app.Engines(
        FakeInspector(), FakeChatModel(), embedder_factory=lambda _: HashEmbedder(64)
    )
    with fake_workspace(
        tmp_path / "w2", key_store, clock, engines, owner_password=PEOPLE_PASSWORD
    ) as w:
        yield w


def _people2(ws2: app.Workspace) -> dict[str, Actor]:
    owner = ws2.accounts.authenticate("owner", PEOPLE_PASSWORD)
    ws2.accounts.add_user(owner, "eve", Role.EDITOR, PEOPLE_PASSWORD)
    return {"owner": owner, "eve": ws2.accounts.authenticate("eve", PEOPLE_PASSWORD)}


def _events(ws: app.Workspace, action: str) -> list[dict[str, object]]:
    with ws.store.transaction() as tx:
        return [e.payload or {} for e in tx.audit.iter_events() if e.action == action]


def _app_count(ws: app.Workspace) -> int:
    with ws.store.transaction() as tx:
        return len(tx.apps.list())


def test_export_then_import_on_another_workspace_round_trips_every_portable_field(
    ws: app.Workspace, ws2: app.Workspace, people: dict[str, Actor], tmp_path: Path
) -> None:
    app_id = _full_app(ws, people, tmp_path)
    exported = ws.app_templates.export(people["eve"], app_id)
    text = exported.data.decode("utf-8")
    assert text.startswith("kura_app_template: 1\n")
    assert "instructions: |\n  You answer questions about {{topic}}" in text  # readable
    assert "規程集" in text and "gemma" in text

    other = _people2(ws2)
    _model(ws2, other["owner"], tmp_path / "models2", "gemma", b"\1" * 32)  # same file
    for name in ("Handbook", "規程集"):
        ws2.knowledge.create(other["owner"], name, visibility=KbVisibility.ALL)
    done = ws2.app_templates.import_template(other["eve"], exported.data)
    assert done.signer is None and done.model_matches and done.sha256 == exported.sha256

    source = ws.apps.show(people["eve"], app_id).config
    made = done.app.config
    portable = (
        "name", "description", "icon", "instructions", "params", "opening_statement",
        "suggested_questions", "variable_labels", "exhaustive", "minimise_logs",
        "pseudonymise",
    )  # fmt: skip
    assert {f: getattr(made, f) for f in portable} == {f: getattr(source, f) for f in portable}
    with ws2.store.transaction() as tx:
        kb_names = [tx.knowledge.get_kb(i).name for i in made.kb_ids]  # type: ignore[union-attr]
        assert tx.models.get(made.model_id).name == "gemma"  # type: ignore[union-attr]
    assert kb_names == ["Handbook", "規程集"]
    # exported again from the second laptop: the very same bytes
    again = ws2.app_templates.export(other["eve"], done.app.id)
    assert again.data == exported.data
    (event,) = _events(ws2, "app.template_imported")
    assert event["sha256"] == exported.sha256 and event["signed"] is False
    (out,) = _events(ws, "app.template_exported")
    assert out["sha256"] == exported.sha256 and out["signed"] is False


def test_parse_of_dump_is_the_same_template(
    ws: app.Workspace, people: dict[str, Actor], tmp_path: Path
) -> None:
    app_id = _full_app(ws, people, tmp_path)
    data = ws.app_templates.export(people["eve"], app_id).data
    parsed = app_template.parse(data)
    assert app_template.dump(parsed).encode("utf-8") == data
    assert parsed.variable_labels == (("team", "Team name"), ("topic", "トピック"))


def test_signed_template_verifies_and_names_its_signer(
    ws: app.Workspace, ws2: app.Workspace, people: dict[str, Actor], tmp_path: Path
) -> None:
    app_id = _full_app(ws, people, tmp_path)
    signed = ws.app_templates.export(people["eve"], app_id, sign=True)
    assert signed.signature is not None and signed.fingerprint is not None
    with ws.store.transaction() as tx:  # the workspace's current signing key
        current = [k for k in tx.review.signing_keys() if k["retired_at"] is None]
    assert signed.fingerprint == current[-1]["fingerprint"]
    # on the workspace that signed it: its own key
    here = ws.app_templates.import_template(
        people["eve"], signed.data, signed.signature, name="copy"
    )
    assert here.signer is not None and here.signer.this_workspace
    assert here.signer.fingerprint == signed.fingerprint
    # elsewhere: valid, another workspace's key, fingerprint in the audit event
    other = _people2(ws2)
    _model(ws2, other["owner"], tmp_path / "models2", "gemma", b"\1" * 32)
    for name in ("Handbook", "規程集"):
        ws2.knowledge.create(other["owner"], name, visibility=KbVisibility.ALL)
    # elsewhere, refused until that workspace's Owner trusts the signer (`kura keys trust`)
    with pytest.raises(TemplateSignerUntrusted) as caught:
        ws2.app_templates.import_template(other["eve"], signed.data, signed.signature)
    assert caught.value.exit_code == 1 and "\n" not in caught.value.render()
    assert signed.fingerprint in caught.value.render()
    assert _app_count(ws2) == 0 and not _events(ws2, "app.template_imported")
    lines = ws.logs.allowed_signers(people["owner"])
    audit_only = re.sub(r'namespaces="[^"]*"', 'namespaces="kura-audit-bundle@v1"', lines)
    ws2.kb_packages.keys.trust(other["owner"], audit_only)  # a line from an older Kura
    with pytest.raises(TemplateSignerUntrusted) as caught:
        ws2.app_templates.import_template(other["eve"], signed.data, signed.signature)
    assert caught.value.code == "apptpl.signer_namespace"
    assert "kura-app-template@v1" in caught.value.render()
    ws2.kb_packages.keys.trust(other["owner"], lines)  # the current lines replace it
    there = ws2.app_templates.import_template(other["eve"], signed.data, signed.signature)
    assert there.signer is not None and not there.signer.this_workspace
    assert there.signer.trusted_as == lines.split()[0]
    unsigned = ws2.app_templates.import_template(other["eve"], signed.data, name="plain")
    assert unsigned.signer is None  # an unsigned template stays importable, as unsigned
    event, plain = _events(ws2, "app.template_imported")
    assert event["signed"] is True and plain["signed"] is False
    assert event["signer"]["fingerprint"] == signed.fingerprint  # type: ignore[index]
    (out,) = _events(ws, "app.template_exported")
    assert out["key_fingerprint"] == signed.fingerprint


def test_any_change_to_a_signed_template_or_its_signature_is_refused(
    ws: app.Workspace, people: dict[str, Actor], tmp_path: Path
) -> None:
    app_id = _full_app(ws, people, tmp_path)
    signed = ws.app_templates.export(people["eve"], app_id, sign=True)
    assert signed.signature is not None
    before, audited = _app_count(ws), len(_events(ws, "app.template_imported"))
    rng = random.Random(19)
    for target in ("data", "signature"):
        original = signed.data if target == "data" else signed.signature
        for _ in range(150):
            blob = bytearray(original)
            at = rng.randrange(len(blob))
            blob[at] = (blob[at] + rng.randrange(1, 256)) % 256
            data, sig = (bytes(blob), signed.signature) if target == "data" else (
                signed.data, bytes(blob))  # fmt: skip
            with pytest.raises(AppError) as caught:
                ws.app_templates.import_template(people["eve"], data, sig, name="tampered")
            message = caught.value.render()
            assert "\n" not in message and message
            if target == "data":
                assert isinstance(caught.value, TemplateSignatureInvalid)
                assert caught.value.exit_code == 1
    assert _app_count(ws) == before
    assert len(_events(ws, "app.template_imported")) == audited


def test_a_signature_from_another_namespace_is_refused(
    ws: app.Workspace, people: dict[str, Actor], tmp_path: Path, key_store: MemoryKeyStore
) -> None:
    from desktop.security import signing

    app_id = _full_app(ws, people, tmp_path)
    data = ws.app_templates.export(people["eve"], app_id).data
    seed = signing.new_signing_key()
    for namespace in ("kura-audit-bundle@v1", "kura-kb-package@v1"):
        sig = signing.sshsig_sign(seed, data, namespace).encode()
        with pytest.raises(TemplateSignatureInvalid):
            ws.app_templates.import_template(people["eve"], data, sig, name="other-ns")
    # a valid signature by a stranger's key: refused, naming the key
    sig = signing.sshsig_sign(seed, data, app_template.NAMESPACE).encode()
    with pytest.raises(TemplateSignerUntrusted) as caught:
        ws.app_templates.import_template(people["eve"], data, sig, name="stranger")
    assert signing.fingerprint(signing.public_openssh(seed)) in caught.value.render()


def test_missing_model_and_knowledge_bases_need_a_mapping(
    ws: app.Workspace, ws2: app.Workspace, people: dict[str, Actor], tmp_path: Path
) -> None:
    app_id = _full_app(ws, people, tmp_path)
    data = ws.app_templates.export(people["eve"], app_id).data
    other = _people2(ws2)
    eve = other["eve"]
    local = _model(ws2, other["owner"], tmp_path / "models2", "llama", b"\2" * 32)
    manual = ws2.knowledge.create(other["owner"], "Manual", visibility=KbVisibility.ALL).id
    ws2.knowledge.create(other["owner"], "規程集", visibility=KbVisibility.ALL)

    plan = ws2.app_templates.inspect(eve, data)
    assert plan.model is None and plan.missing_kbs == ("Handbook",)
    with pytest.raises(InputError) as caught:
        ws2.app_templates.import_template(eve, data)
    assert caught.value.code == "apptpl.model_missing" and "gemma" in caught.value.render()
    with pytest.raises(InputError) as caught:
        ws2.app_templates.import_template(eve, data, model="llama")
    assert caught.value.code == "apptpl.kbs_missing" and "Handbook" in caught.value.render()
    assert "--kb OLD=NEW" in caught.value.render()
    with pytest.raises(InputError) as caught:
        ws2.app_templates.import_template(eve, data, model="llama", kbs={"Nope": "Manual"})
    assert caught.value.code == "apptpl.kb_mapping_unknown"
    assert _app_count(ws2) == 0 and not _events(ws2, "app.template_imported")

    done = ws2.app_templates.import_template(eve, data, model="llama", kbs={"handbook": "Manual"})
    assert done.app.config.model_id == local and not done.model_matches
    assert done.app.config.kb_ids[0] == manual and len(done.app.config.kb_ids) == 2
    (event,) = _events(ws2, "app.template_imported")
    assert event["knowledge_bases"] == {"Handbook": manual, "規程集": done.app.config.kb_ids[1]}
    with pytest.raises(AlreadyExists):  # the name is taken now
        ws2.app_templates.import_template(eve, data, model="llama", kbs={"Handbook": "Manual"})


def test_knowledge_the_exporter_may_not_read_is_not_named(
    ws: app.Workspace, people: dict[str, Actor], tmp_path: Path
) -> None:
    owner, eve = people["owner"], people["eve"]
    model_id = _model(ws, owner, tmp_path / "models", "gemma", b"\1" * 32)
    private = ws.knowledge.create(owner, "Board minutes secret", visibility=KbVisibility.ONLY_ME)
    app_id = ws.apps.create(owner, AppConfig(name="board", model_id=model_id,
                                              kb_ids=(private.id,))).id  # fmt: skip
    data = ws.app_templates.export(eve, app_id).data
    assert b"Board minutes" not in data
    assert app_template.parse(data).knowledge_bases == ()


def test_members_may_neither_export_nor_import(
    ws: app.Workspace, people: dict[str, Actor], tmp_path: Path
) -> None:
    app_id = _full_app(ws, people, tmp_path)
    data = ws.app_templates.export(people["eve"], app_id).data
    denied_before = len(_events(ws, "permission.denied"))
    for member in (people["mo"], people["mia"]):
        with pytest.raises(PermissionDenied):
            ws.app_templates.export(member, app_id)
        with pytest.raises(PermissionDenied):
            ws.app_templates.export(member, app_id, sign=True)
        with pytest.raises(PermissionDenied):
            ws.app_templates.import_template(member, data, name="by member")
        with pytest.raises(PermissionDenied):
            ws.app_templates.inspect(member, data)
    assert len(_events(ws, "permission.denied")) == denied_before + 8
    assert len(_events(ws, "app.template_exported")) == 1
    assert not _events(ws, "app.template_imported")


def test_signing_without_the_keyring_item_is_refused_and_not_audited(
    ws: app.Workspace, people: dict[str, Actor], tmp_path: Path, key_store: MemoryKeyStore
) -> None:
    from desktop.core.keyring_items import signing_key_item

    app_id = _full_app(ws, people, tmp_path)
    ws.app_templates.export(people["eve"], app_id, sign=True)  # the key exists now
    with ws.store.transaction() as tx:
        key_id = int(tx.review.signing_keys()[-1]["id"])
    key_store.delete_secret(signing_key_item(ws.workspace_id, key_id))
    with pytest.raises(KeyItemMissing) as caught:
        ws.app_templates.export(people["eve"], app_id, sign=True)
    assert caught.value.code == "apptpl.signing_key_missing"
    assert len(_events(ws, "app.template_exported")) == 1
    unsigned = ws.app_templates.export(people["eve"], app_id)  # unsigned still works
    assert unsigned.signature is None


def test_two_template_links_mapped_to_one_knowledge_base_link_it_once(
    ws: app.Workspace, people: dict[str, Actor], tmp_path: Path
) -> None:
    app_id = _full_app(ws, people, tmp_path)
    data = ws.app_templates.export(people["eve"], app_id).data
    done = ws.app_templates.import_template(
        people["eve"], data, name="merged", kbs={"規程集": "Handbook"}
    )
    with ws.store.transaction() as tx:
        handbook = next(k for k in tx.knowledge.list_kbs() if k.name == "Handbook")
    assert done.app.config.kb_ids == (handbook.id,)
