"""The model host's wire format: small, versioned, length-prefixed frames over a pipe.

A frame is ``!II`` (header length, payload length), a UTF-8 JSON header, then a raw
payload (float32 vectors travel as bytes, never pickled). Nothing here trusts the peer:
sizes are bounded and a short read is the end of the stream. Standard library only.
"""

from __future__ import annotations

import json
import struct
import threading
from typing import IO, Any

VERSION = 2  # 2: an error reply carries its code and parameters, not its words
_PREFIX = struct.Struct("!II")
MAX_HEADER = 16 << 20  # a request's texts or a reply's answer: far below this
MAX_PAYLOAD = 256 << 20  # a batch of float32 vectors


class WireClosed(Exception):
    """The other end closed the pipe (or sent something that is not a frame)."""


def _read_exact(stream: IO[bytes], size: int) -> bytes:
    chunks: list[bytes] = []
    left = size
    while left:
        chunk = stream.read(left)
        if not chunk:
            raise WireClosed("the pipe closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_frame(stream: IO[bytes]) -> tuple[dict[str, Any], bytes]:
    """The next frame's header and payload; WireClosed at the end or on garbage."""
    head_len, body_len = _PREFIX.unpack(_read_exact(stream, _PREFIX.size))
    if head_len > MAX_HEADER or body_len > MAX_PAYLOAD:
        raise WireClosed(f"a frame of {head_len}+{body_len} bytes is over the limit")
    try:
        header = json.loads(_read_exact(stream, head_len).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise WireClosed("a frame's header is not JSON") from exc
    if not isinstance(header, dict):
        raise WireClosed("a frame's header is not an object")
    return header, _read_exact(stream, body_len) if body_len else b""


class FrameWriter:
    """Writes whole frames; safe to share between threads."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def send(self, header: dict[str, Any], payload: bytes = b"") -> None:
        head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        with self._lock:
            try:
                self._stream.write(_PREFIX.pack(len(head), len(payload)) + head + payload)
                self._stream.flush()
            except (BrokenPipeError, OSError, ValueError) as exc:
                raise WireClosed("the pipe closed") from exc
