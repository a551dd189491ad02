"""Remote OpenAI-compatible inference servers: what a registration records (no I/O here).

An Owner registers an endpoint on the organisation's network (llama-server, vLLM,
Ollama); apps then use it exactly like a local model. The record keeps the base URL, the
model id, how the server's certificate is verified (a CA in PEM, or the SHA-256 of the
certificate itself), the (ip, port) pairs the host name resolved to when it was
registered, and the name of the keyring item that holds the API key. The key itself is
never here: it lives only in the OS keyring.

Decisions (DESIGN.md, "Internal inference servers"):

- Names are resolved once, at registration, and pinned: Kura then connects only to those
  addresses (TLS still checks the certificate against the host name). The network guard
  allows exactly these (ip, port) pairs and refuses every other connection and every
  name look-up. A server that moves is registered again.
- ``http`` only for loopback addresses; anything else must be ``https`` with a CA file
  or a certificate pin.
- The main process talks to the server (the model host keeps its no-socket confinement).
"""

from __future__ import annotations

import enum
import ipaddress
import re
import urllib.parse
from dataclasses import dataclass, field, replace
from typing import Any

from desktop.core.errors import InputError

#: ``GgufInfo.architecture`` of a remote model's record: it has no GGUF file.
REMOTE_ARCHITECTURE = "openai-remote"
_PIN = re.compile(r"^[0-9a-f]{64}$")
_MODEL_ID = re.compile(r"^[\x21-\x7e]{1,200}$")
DEFAULT_TIMEOUT_S = 60.0
#: A knowledge base's embedding model ``remote:NAME`` is remote embedding model NAME.
REMOTE_EMBEDDER_PREFIX = "remote:"


class RemoteKind(enum.StrEnum):
    CHAT = "chat"
    EMBEDDING = "embedding"


@dataclass(frozen=True, slots=True)
class BaseUrl:
    """A checked base URL: ``scheme://host:port/path`` (path without a trailing slash)."""

    scheme: str
    host: str
    port: int
    path: str

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}{self.path}"

    def is_ip_literal(self) -> bool:
        try:
            ipaddress.ip_address(self.host)
        except ValueError:
            return False
        return True


def parse_base_url(text: str) -> BaseUrl:
    """Check a base URL (``https://gpu.example:8443/v1``); InputError naming the problem.

    No user name or password in it (the key goes through the keyring), no query or
    fragment, a scheme of http or https."""
    try:
        parts = urllib.parse.urlsplit(text.strip())
        port = parts.port
    except ValueError as exc:
        raise InputError("remote.url_invalid", url=text) from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise InputError("remote.url_invalid", url=text)
    if parts.username or parts.password or parts.query or parts.fragment:
        raise InputError("remote.url_extras", url=text)
    path = parts.path.rstrip("/")
    return BaseUrl(scheme, parts.hostname.lower(), port or (443 if scheme == "https" else 80), path)


def is_loopback(address: str) -> bool:
    """True for 127.0.0.0/8 and ::1."""
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def normalise_pin(text: str) -> str:
    """A certificate's SHA-256 as 64 lowercase hex digits (colons and case ignored)."""
    pin = text.strip().replace(":", "").lower()
    if not _PIN.match(pin):
        raise InputError("remote.pin_invalid")
    return pin


def check_model_id(text: str) -> str:
    model_id = text.strip()
    if not _MODEL_ID.match(model_id):
        raise InputError("remote.model_id_invalid")
    return model_id


@dataclass(frozen=True, slots=True)
class RemoteEndpoint:
    """A registered server endpoint. ``addresses``: the pinned (ip, port) pairs."""

    base_url: str
    model_id: str
    kind: RemoteKind = RemoteKind.CHAT
    ca_pem: str | None = field(default=None, repr=False)
    pin_sha256: str | None = None
    key_ref: str | None = None  # the keyring item's suffix; None: no API key
    addresses: tuple[tuple[str, int], ...] = ()
    timeout_s: float = DEFAULT_TIMEOUT_S

    @property
    def url(self) -> BaseUrl:
        return parse_base_url(self.base_url)

    @property
    def verification(self) -> str:
        """How TLS is verified: "ca", "pin" or "none" (plain http on loopback)."""
        return "pin" if self.pin_sha256 else "ca" if self.ca_pem else "none"

    def as_dict(self) -> dict[str, Any]:
        return {
            "base_url": self.base_url,
            "model_id": self.model_id,
            "kind": self.kind.value,
            "ca_pem": self.ca_pem,
            "pin_sha256": self.pin_sha256,
            "key_ref": self.key_ref,
            "addresses": [[ip, port] for ip, port in self.addresses],
            "timeout_s": self.timeout_s,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RemoteEndpoint:
        return cls(
            base_url=str(data["base_url"]),
            model_id=str(data["model_id"]),
            kind=RemoteKind(data.get("kind", "chat")),
            ca_pem=data.get("ca_pem"),
            pin_sha256=data.get("pin_sha256"),
            key_ref=data.get("key_ref"),
            addresses=tuple((str(ip), int(port)) for ip, port in data.get("addresses", ())),
            timeout_s=float(data.get("timeout_s", DEFAULT_TIMEOUT_S)),
        )

    def public_dict(self) -> dict[str, Any]:
        """What ``models list`` shows an Owner: never the key, the CA only as a fact."""
        return {
            "base_url": self.base_url,
            "model_id": self.model_id,
            "kind": self.kind.value,
            "tls": self.verification,
            "pin_sha256": self.pin_sha256,
            "api_key": self.key_ref is not None,
            "addresses": [f"{_hostport(ip, port)}" for ip, port in self.addresses],
            "timeout_s": self.timeout_s,
        }

    def redacted(self) -> RemoteEndpoint:
        """What a user who may not manage models sees: only that it is remote."""
        return replace(
            self, base_url="", model_id="", ca_pem=None, pin_sha256=None, key_ref=None,
            addresses=(),
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class EndpointCheck:
    """A connection test's result: the server answered its model list in ``ms``."""

    models: tuple[str, ...]
    ms: float

    def lists(self, model_id: str) -> bool:
        return model_id in self.models

    def as_dict(self) -> dict[str, Any]:
        return {"ok": True, "ms": self.ms, "models": list(self.models[:20])}


def _hostport(ip: str, port: int) -> str:
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def estimate_tokens(text: str) -> int:
    """An upper estimate of a remote model's token count (its tokenizer is on the server):
    half the UTF-8 bytes, plus one. Byte-level BPE tokenizers average 3-4 bytes a token
    in English and about 3 (one character) in Japanese, so the estimate errs on the side
    of dropping old turns rather than overflowing the server's context."""
    return len(text.encode("utf-8")) // 2 + 1
