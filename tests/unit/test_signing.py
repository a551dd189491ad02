"""Ed25519 keys and SSHSIG signatures: byte for byte what OpenSSH's ssh-keygen makes."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from desktop.security.signing import (
    allowed_signers_line,
    fingerprint,
    new_signing_key,
    public_openssh,
    sshsig_sign,
)
from desktop.verifier import bundle_verify
from tests.tools import need

NS = "kura-audit-bundle@v1"
SEED = bytes(range(32))


def no_agent() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "SSH_AUTH_SOCK"}


def write_private_key(seed: bytes, path: Path) -> None:
    from cryptography.hazmat.primitives import serialization as ser
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    pem = Ed25519PrivateKey.from_private_bytes(seed).private_bytes(
        ser.Encoding.PEM, ser.PrivateFormat.OpenSSH, ser.NoEncryption()
    )
    path.write_bytes(pem)
    path.chmod(0o600)


def test_new_signing_key_is_a_fresh_32_byte_seed() -> None:
    a, b = new_signing_key(), new_signing_key()
    assert len(a) == len(b) == 32 and a != b


def test_public_openssh_matches_cryptography() -> None:
    from cryptography.hazmat.primitives import serialization as ser
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    expected = (
        Ed25519PrivateKey.from_private_bytes(SEED)
        .public_key()
        .public_bytes(ser.Encoding.OpenSSH, ser.PublicFormat.OpenSSH)
        .decode()
    )
    assert public_openssh(SEED) == expected
    assert public_openssh(SEED).startswith("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI")


def test_bad_seed_and_bad_key_are_refused() -> None:
    with pytest.raises(ValueError):
        public_openssh(b"short")
    with pytest.raises(ValueError):
        sshsig_sign(SEED, b"m", "")
    with pytest.raises(ValueError):
        fingerprint("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ")


def test_fingerprint_matches_ssh_keygen(tmp_path: Path) -> None:
    keygen = need("ssh-keygen")
    pub = tmp_path / "id.pub"
    pub.write_text(public_openssh(SEED) + " comment\n")
    out = subprocess.run(
        [keygen, "-l", "-f", str(pub)], capture_output=True, text=True, check=True
    ).stdout
    assert out.split()[1] == fingerprint(public_openssh(SEED) + " comment")
    assert fingerprint(public_openssh(SEED)).startswith("SHA256:")
    assert "=" not in fingerprint(public_openssh(SEED))


@pytest.mark.parametrize("message", [b"", b"hello\n", bytes(range(256)) * 5])
def test_sshsig_sign_is_byte_identical_to_ssh_keygen(tmp_path: Path, message: bytes) -> None:
    keygen = need("ssh-keygen")
    key, data = tmp_path / "id", tmp_path / "data"
    write_private_key(SEED, key)
    data.write_bytes(message)
    subprocess.run(
        [keygen, "-Y", "sign", "-f", str(key), "-n", NS, str(data)],
        capture_output=True,
        check=True,
        env=no_agent(),
    )
    assert (tmp_path / "data.sig").read_text() == sshsig_sign(SEED, message, NS)


def test_ssh_keygen_verifies_our_signature_and_rejects_a_changed_message(tmp_path: Path) -> None:
    keygen = need("ssh-keygen")
    identity = "owner@kura.example"
    signers = tmp_path / "allowed_signers"
    signers.write_text(allowed_signers_line(identity, public_openssh(SEED), NS) + "\n")
    sig = tmp_path / "m.sig"
    sig.write_text(sshsig_sign(SEED, b"the message\n", NS))

    def verify(message: bytes, namespace: str = NS) -> int:
        cmd = [keygen, "-Y", "verify", "-f", str(signers), "-I", identity, "-n", namespace]
        cmd += ["-s", str(sig)]
        return subprocess.run(cmd, input=message, capture_output=True, env=no_agent()).returncode

    assert verify(b"the message\n") == 0
    assert verify(b"the massage\n") != 0
    assert verify(b"the message\n", namespace="file") != 0


def test_the_pure_python_verifier_accepts_our_signature() -> None:
    armored = sshsig_sign(SEED, b"abc", NS).encode()
    sig = bundle_verify.verify_sshsig(armored, b"abc", NS)
    assert bundle_verify.key_fingerprint(sig.public_key_blob) == fingerprint(public_openssh(SEED))
    with pytest.raises(bundle_verify.BundleError):
        bundle_verify.verify_sshsig(armored, b"abd", NS)
    with pytest.raises(bundle_verify.BundleError, match="namespace"):
        bundle_verify.verify_sshsig(armored, b"abc", "file")


def test_allowed_signers_line() -> None:
    pub = public_openssh(SEED)
    line = allowed_signers_line("owner@kura.example", pub + " a comment", NS)
    assert line == f'owner@kura.example namespaces="{NS}" {pub}'
    (signer,) = bundle_verify.parse_allowed_signers(line)
    assert signer.principals == "owner@kura.example" and signer.namespaces == NS
    assert allowed_signers_line("所有者@例え.jp", pub, NS).startswith("所有者@例え.jp ")


@pytest.mark.parametrize("identity", ["", "two words", "a,b", "*", "who?", '"q"', "!neg", "a\nb"])
def test_allowed_signers_line_refuses_identities_that_change_its_meaning(identity: str) -> None:
    with pytest.raises(ValueError):
        allowed_signers_line(identity, public_openssh(SEED), NS)


@pytest.mark.parametrize("namespace", ["", ",a", "a,", "a,,b", "a,*", 'x"y', "a b"])
def test_allowed_signers_line_refuses_bad_namespaces(namespace: str) -> None:
    with pytest.raises(ValueError):
        allowed_signers_line("owner", public_openssh(SEED), namespace)


def test_allowed_signers_line_takes_a_list_of_namespaces() -> None:
    line = allowed_signers_line("owner", public_openssh(SEED), "one@v1,two@v1")
    assert line.startswith('owner namespaces="one@v1,two@v1" ssh-ed25519 ')
