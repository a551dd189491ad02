"""The knowledge-base package format (``kura kb export`` / ``kura kb import``).

A package file is age-encrypted (to X25519 recipients or a passphrase). Its plaintext,
held only in memory, is the *envelope*::

    MAGIC | u32 big-endian length | armored SSHSIG | content

``content`` is the zlib-compressed canonical JSON of the knowledge base (settings,
documents with every version, extracted text, original bytes, chunks and their
embeddings, the embedding model's fingerprint); the SSHSIG (namespace ``NAMESPACE``)
is over ``content``, by the exporting workspace's signing key. Everything here is pure
data handling: no keys, no files, no database.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from dataclasses import dataclass
from typing import Any

from desktop.core.audit import canonical_json
from desktop.core.errors import EXIT_CHECK_FAILED, AppError, InputError

NAMESPACE = "kura-kb-package@v1"
FORMAT = "kura-kb-package@v1"
MAGIC = b"KURA-KB-PACKAGE\n"
#: The most a package's content may expand to (a decompression bomb is refused).
MAX_CONTENT_BYTES = 4 * 2**30
_MAX_SIGNATURE = 4096


class PackageRefused(AppError):
    """A package that cannot be decrypted, is altered, or comes from a signer this
    workspace does not trust: nothing is imported (exit 1, verification failed)."""

    exit_code = EXIT_CHECK_FAILED


@dataclass(frozen=True, slots=True)
class PackedChunk:
    index: int
    start: int
    end: int
    heading: str
    text: str
    vector: bytes  # float32, the exporter's embedding


@dataclass(frozen=True, slots=True)
class PackedVersion:
    version: int
    sha256: str
    size: int
    kind: str
    meta: dict[str, Any]
    added_by: str
    added_at: str
    text: str
    original: bytes
    chunks: tuple[PackedChunk, ...]


@dataclass(frozen=True, slots=True)
class PackedDocument:
    name: str
    active_version: int
    versions: tuple[PackedVersion, ...]


@dataclass(frozen=True, slots=True)
class Package:
    """A knowledge base as it travels."""

    workspace_id: str
    identity: str  # the signer's allowed_signers principal, ``kura-audit@<workspace id>``
    exported_by: str
    exported_at: str
    app_version: str
    kb_name: str
    description: str
    settings: dict[str, Any]
    model_id: str  # the embedding model's fingerprint (``Embedder.model_id``)
    dimension: int
    documents: tuple[PackedDocument, ...]

    def counts(self) -> dict[str, int]:
        versions = [v for d in self.documents for v in d.versions]
        return {
            "documents": len(self.documents),
            "versions": len(versions),
            "chunks": sum(len(v.chunks) for v in versions),
        }


# ------------------------------------------------------------------ writing


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _chunk_json(c: PackedChunk) -> dict[str, Any]:
    return {
        "index": c.index,
        "start": c.start,
        "end": c.end,
        "heading": c.heading,
        "text": c.text,
        "vector": _b64(c.vector),
    }


def _version_json(v: PackedVersion) -> dict[str, Any]:
    return {
        "version": v.version,
        "sha256": v.sha256,
        "size": v.size,
        "kind": v.kind,
        "meta": v.meta,
        "added_by": v.added_by,
        "added_at": v.added_at,
        "text": v.text,
        "original": _b64(v.original),
        "chunks": [_chunk_json(c) for c in v.chunks],
    }


def encode_content(package: Package) -> bytes:
    """The compressed canonical JSON that is signed and then encrypted."""
    document = {
        "format": FORMAT,
        "workspace_id": package.workspace_id,
        "identity": package.identity,
        "exported_by": package.exported_by,
        "exported_at": package.exported_at,
        "app_version": package.app_version,
        "kb": {
            "name": package.kb_name,
            "description": package.description,
            "settings": package.settings,
        },
        "embedding": {"model_id": package.model_id, "dimension": package.dimension},
        "documents": [
            {
                "name": d.name,
                "active_version": d.active_version,
                "versions": [_version_json(v) for v in d.versions],
            }
            for d in package.documents
        ],
    }
    return zlib.compress(canonical_json(document), 6)


def envelope(signature: str, content: bytes) -> bytes:
    sig = signature.encode("ascii")
    return MAGIC + len(sig).to_bytes(4, "big") + sig + content


# ------------------------------------------------------------------ reading


def _malformed(what: str) -> InputError:
    return InputError("kbpackage.malformed", what=what)


def open_envelope(plain: bytes) -> tuple[bytes, bytes]:
    """(armored signature, content) of a decrypted package; InputError if malformed."""
    if not plain.startswith(MAGIC) or len(plain) < len(MAGIC) + 4:
        raise _malformed("header")
    at = len(MAGIC)
    length = int.from_bytes(plain[at : at + 4], "big")
    if not 0 < length <= _MAX_SIGNATURE or len(plain) < at + 4 + length:
        raise _malformed("signature length")
    return plain[at + 4 : at + 4 + length], plain[at + 4 + length :]


def decompress(content: bytes, limit: int = MAX_CONTENT_BYTES) -> bytes:
    """The content's JSON bytes, refusing more than ``limit`` bytes of it."""
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(content, limit)
    except zlib.error:
        raise _malformed("compression") from None
    if inflater.unconsumed_tail or not inflater.eof or inflater.unused_data:
        raise _malformed("compression")
    return data


class _Reader:
    """Typed access to a decoded JSON object; InputError names the field that is wrong."""

    def __init__(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise _malformed(where)
        self._value, self._where = value, where

    def _get(self, key: str, kind: type | tuple[type, ...]) -> Any:
        value = self._value.get(key)
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            raise _malformed(f"{self._where}.{key}")
        return value

    def text(self, key: str) -> str:
        return str(self._get(key, str))

    def number(self, key: str, minimum: int = 0) -> int:
        value = int(self._get(key, int))
        if value < minimum:
            raise _malformed(f"{self._where}.{key}")
        return value

    def object(self, key: str) -> dict[str, Any]:
        return dict(self._get(key, dict))

    def array(self, key: str) -> list[Any]:
        return list(self._get(key, list))

    def blob(self, key: str) -> bytes:
        try:
            return base64.b64decode(self.text(key), validate=True)
        except (binascii.Error, ValueError):
            raise _malformed(f"{self._where}.{key}") from None


def _chunk(value: Any, where: str, vector_bytes: int) -> PackedChunk:
    r = _Reader(value, where)
    chunk = PackedChunk(
        r.number("index"),
        r.number("start"),
        r.number("end"),
        r.text("heading"),
        r.text("text"),
        r.blob("vector"),
    )
    if chunk.end < chunk.start or len(chunk.vector) != vector_bytes or not chunk.text:
        raise _malformed(where)
    return chunk


def _version(value: Any, where: str, vector_bytes: int) -> PackedVersion:
    r = _Reader(value, where)
    chunks = tuple(
        _chunk(c, f"{where}.chunks[{i}]", vector_bytes) for i, c in enumerate(r.array("chunks"))
    )
    if not chunks or len({c.index for c in chunks}) != len(chunks):
        raise _malformed(f"{where}.chunks")
    return PackedVersion(
        r.number("version", 1),
        r.text("sha256"),
        r.number("size"),
        r.text("kind"),
        r.object("meta"),
        r.text("added_by"),
        r.text("added_at"),
        r.text("text"),
        r.blob("original"),
        chunks,
    )


def _document(value: Any, where: str, vector_bytes: int) -> PackedDocument:
    r = _Reader(value, where)
    name = r.text("name")
    versions = tuple(
        _version(v, f"{where}.versions[{i}]", vector_bytes)
        for i, v in enumerate(r.array("versions"))
    )
    active = r.number("active_version", 1)
    numbers = [v.version for v in versions]
    if not name or not versions or len(set(numbers)) != len(numbers) or active not in numbers:
        raise _malformed(where)
    return PackedDocument(name, active, tuple(sorted(versions, key=lambda v: v.version)))


def decode_content(content: bytes) -> Package:
    """The package a (verified) content holds; InputError names what is malformed."""
    try:
        value = json.loads(decompress(content))
    except (ValueError, UnicodeDecodeError):
        raise _malformed("json") from None
    r = _Reader(value, "package")
    if r.text("format") != FORMAT:
        raise InputError("kbpackage.format_unknown", format=str(value.get("format"))[:40])
    kb = _Reader(r.object("kb"), "kb")
    embedding = _Reader(r.object("embedding"), "embedding")
    dimension = embedding.number("dimension", 1)
    documents = tuple(
        _document(d, f"documents[{i}]", dimension * 4) for i, d in enumerate(r.array("documents"))
    )
    if len({d.name for d in documents}) != len(documents):
        raise _malformed("documents")
    return Package(
        workspace_id=r.text("workspace_id"),
        identity=r.text("identity"),
        exported_by=r.text("exported_by"),
        exported_at=r.text("exported_at"),
        app_version=r.text("app_version"),
        kb_name=kb.text("name"),
        description=kb.text("description"),
        settings=kb.object("settings"),
        model_id=embedding.text("model_id"),
        dimension=dimension,
        documents=documents,
    )
