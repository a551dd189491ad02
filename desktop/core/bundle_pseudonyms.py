"""Pseudonymise the payloads of a log bundle: personal data becomes keyed pseudonyms.

Every string in every exported payload (its values and its keys) and every event's
actor and object go through the personal-data detector (the ``PiiDetector`` port, in
batches). Each detected value is replaced by a placeholder that names its type and the
first hex digits of a commitment:

- ``opening = HMAC-SHA256(bundle_key, TYPE 0x00 VALUE)``: the same value gets the same
  pseudonym everywhere in one bundle; a fresh random key per bundle makes two bundles
  unlinkable;
- ``commitment = SHA-256("kura-pii-v1" 0x00 opening TYPE 0x00 VALUE)``
  (:func:`bundle_verify.pii_commitment`): hiding without the opening, binding with it.

A pseudonymised record keeps the original ``payload_sha256`` (the chain covers the
original payloads) and carries ``"pseudonyms": {placeholder: commitment}``. A record
whose actor or object holds a placeholder keeps its ``hash``, which the verifier then
only links (it covers the original actor and object) until the value is disclosed, and
re-derives with it; the bundle's
SHA256SUMS and signature cover the pseudonymised view byte for byte. The Owner can later
disclose one value's opening (``kura logs prove``) and an auditor checks it against the
bundle (``verify_bundle.py --check-value``). Records with nothing detected stay full
records; a tombstone's actor and object are scanned, redacted records hold nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from desktop.core.pii import PiiEntity
from desktop.core.ports.pii import PiiDetector
from desktop.core.tasks import CancelToken
from desktop.verifier.bundle_verify import pii_commitment, pii_placeholder

KEY_BYTES = 32
#: Texts per detector call: one round trip to the model host each.
BATCH = 256
_FIRST_DIGITS = 8


def pii_opening(key: bytes, pii_type: str, value: str) -> bytes:
    """The opening of one value under a bundle key (what ``kura logs prove`` discloses)."""
    message = pii_type.encode("utf-8") + b"\x00" + value.encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).digest()


def _strings(value: Any, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            out.append(key)
            _strings(item, out)
    elif isinstance(value, list):
        for item in value:
            _strings(item, out)


class Pseudonymiser:
    """One bundle's pseudonyms: ``records`` rewrites a bundle's records in place of the
    originals; ``count`` is how many records carry a pseudonymised view afterwards."""

    def __init__(
        self,
        detector: PiiDetector,
        key: bytes,
        *,
        cancel: CancelToken | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("a bundle key is 32 bytes")
        self._detector, self._key = detector, key
        self._cancel, self._progress = cancel, progress
        self._by_value: dict[tuple[str, str], tuple[str, str]] = {}
        self._taken: dict[str, tuple[str, str]] = {}
        #: Each text with something detected: its masked form and the placeholders in it.
        self._masked: dict[str, tuple[str, tuple[str, ...]]] = {}
        self.count = 0

    def records(self, records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        texts: list[str] = []
        for record in records:
            if record.get("redacted"):
                continue
            texts += (record["actor"], record["object"])
            if record.get("payload") is not None:
                _strings(record["payload"], texts)
        self._detect(dict.fromkeys(texts))
        return [self._record(record) for record in records]

    def _detect(self, texts: Iterable[str]) -> None:
        distinct = [t for t in texts if t.strip()]
        for start in range(0, len(distinct), BATCH):
            batch = distinct[start : start + BATCH]
            found = self._detector.detect(batch, self._cancel)
            for text, entities in zip(batch, found, strict=True):
                if entities:
                    self._masked[text] = self._mask(text, entities)
            if self._progress is not None:
                self._progress(min(start + BATCH, len(distinct)), len(distinct))

    def _mask(self, text: str, entities: Sequence[PiiEntity]) -> tuple[str, tuple[str, ...]]:
        parts: list[str] = []
        used: list[str] = []
        at = 0
        for entity in sorted(entities, key=lambda e: e.start):
            if entity.start < at or entity.end <= entity.start or entity.end > len(text):
                continue  # overlapping or out of range: the port promises neither
            used.append(self.placeholder(entity.type, text[entity.start : entity.end]))
            parts += [text[at : entity.start], used[-1]]
            at = entity.end
        parts.append(text[at:])
        return "".join(parts), tuple(used)

    def placeholder(self, pii_type: str, value: str) -> str:
        """The value's placeholder in this bundle (the same for the same value)."""
        known = self._by_value.get((pii_type, value))
        if known is not None:
            return known[0]
        commitment = pii_commitment(pii_type, value, pii_opening(self._key, pii_type, value))
        digits = _FIRST_DIGITS
        placeholder = pii_placeholder(pii_type, commitment, digits)
        while placeholder in self._taken:  # another value shares the first digits
            digits += 4
            if digits > len(commitment):
                raise ValueError("two values with one commitment")  # SHA-256 collision
            placeholder = pii_placeholder(pii_type, commitment, digits)
        self._taken[placeholder] = (pii_type, value)
        self._by_value[(pii_type, value)] = (placeholder, commitment)
        return placeholder

    def _rewrite(self, value: Any, used: set[str]) -> Any:
        if isinstance(value, str):
            masked = self._masked.get(value)
            if masked is None:
                return value
            used.update(masked[1])
            return masked[0]
        if isinstance(value, dict):  # keys too: a variable's or a map's name may be a value
            return {self._rewrite(k, used): self._rewrite(v, used) for k, v in value.items()}
        if isinstance(value, list):
            return [self._rewrite(v, used) for v in value]
        return value

    def _record(self, record: Mapping[str, Any]) -> dict[str, Any]:
        out = dict(record)
        if record.get("redacted"):
            return out
        used: set[str] = set()
        for field in ("actor", "object", "payload"):
            out[field] = self._rewrite(record[field], used)
        if not used:
            return dict(record)
        out["pseudonyms"] = {p: self._by_value[self._taken[p]][1] for p in sorted(used)}
        self.count += 1
        return out
