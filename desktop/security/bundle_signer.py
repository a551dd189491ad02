"""``BundleSigner``: the audit-bundle signing key operations of :mod:`.signing` behind
the core port, so services never import ``cryptography``."""

from __future__ import annotations

from desktop.security import signing


class SshBundleSigner:
    def new_key(self) -> tuple[bytes, str, str]:
        seed = signing.new_signing_key()
        public = signing.public_openssh(seed)
        return seed, public, signing.fingerprint(public)

    def sign(self, seed: bytes, message: bytes, namespace: str) -> str:
        return signing.sshsig_sign(seed, message, namespace)

    def allowed_signers_line(self, identity: str, public_key: str, namespace: str) -> str:
        return signing.allowed_signers_line(identity, public_key, namespace)
