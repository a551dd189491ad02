"""The bounded, buffered reader under the GGUF parser (:mod:`desktop.inference.gguf`):
sequential little-endian reads through a 1 MiB window onto an unbuffered file, with the
length checks that turn truncation and absurd sizes into ``ModelInvalid``.
"""

from __future__ import annotations

import io
import struct
from typing import Any, NoReturn

from desktop.core.errors import ModelInvalid

MAX_KEY = 65_535  # bytes in a metadata key or tensor name
_WINDOW = 1 << 20
_U64 = struct.Struct("<Q")


class GgufReader:
    """Sequential little-endian reads through a bounded window onto an unbuffered file."""

    def __init__(self, file: io.FileIO, size: int, label: str) -> None:
        self._file, self._size, self.label = file, size, label
        self._buf, self._pos, self._base = b"", 0, 0
        self.where = "the header"

    def tell(self) -> int:
        return self._base + self._pos

    def remaining(self) -> int:
        return self._size - self.tell()

    def truncated(self, detail: str = "") -> NoReturn:
        if not detail:
            raise ModelInvalid("llama.gguf_ends_inside", name=self.label, where=self.where)
        raise ModelInvalid("llama.gguf_truncated", name=self.label, detail=detail)

    def invalid(self, problem: str) -> NoReturn:
        raise ModelInvalid("llama.gguf_invalid", name=self.label, problem=problem, where=self.where)

    def check_length(self, count: int, unit: int, what: str) -> None:
        """``count`` items of at least ``unit`` bytes must fit in what is left of the file."""
        if count * unit > self.remaining():
            self.truncated(
                f"{what} of {count} cannot fit in the {self.remaining()} bytes left "
                f"(in {self.where})"
            )

    def _fill(self, n: int) -> None:
        if len(self._buf) - self._pos >= n:
            return
        if n > self.remaining():
            self.truncated()
        kept = self._buf[self._pos :]
        self._base += self._pos
        self._file.seek(self._base + len(kept))
        parts, want = [kept], max(n - len(kept), _WINDOW)
        while want > 0:
            more = self._file.read(want)
            if not more:
                break
            parts.append(more)
            want -= len(more)
        self._buf, self._pos = b"".join(parts), 0
        if len(self._buf) < n:
            self.truncated()

    def unpack(self, st: struct.Struct) -> Any:
        self._fill(st.size)
        (value,) = st.unpack_from(self._buf, self._pos)
        self._pos += st.size
        return value

    def take(self, n: int) -> bytes:
        self._fill(n)
        data = self._buf[self._pos : self._pos + n]
        self._pos += n
        return data

    def skip(self, n: int) -> None:
        if n <= len(self._buf) - self._pos:
            self._pos += n
            return
        if n > self.remaining():
            self.truncated()
        self._base, self._buf, self._pos = self.tell() + n, b"", 0

    def seek(self, offset: int) -> None:
        self._base, self._buf, self._pos = offset, b"", 0

    def skip_string(self) -> None:
        n = self.unpack(_U64)
        self.check_length(n, 1, "a string length")
        self.skip(n)

    def string(self, limit: int) -> str:
        n = self.unpack(_U64)
        self.check_length(n, 1, "a string length")
        if n > limit:
            self.invalid(f"a string of {n} bytes is over the {limit}-byte limit")
        return self.take(n).decode("utf-8", errors="replace")

    def skip_strings(self, count: int, wanted: frozenset[int]) -> dict[int, str]:
        """Walk ``count`` strings, decoding only those at the ``wanted`` indexes."""
        found: dict[int, str] = {}
        buf, pos, i, unpack = self._buf, self._pos, 0, _U64.unpack_from
        while i < count:
            if pos + 8 <= len(buf):  # fast path: the whole string is in the window
                stop = pos + 8 + unpack(buf, pos)[0]
                if stop <= len(buf) and i not in wanted:
                    pos, i = stop, i + 1
                    continue
            self._pos = pos
            if i in wanted:
                found[i] = self.string(MAX_KEY)
            else:
                self.skip_string()
            buf, pos, i = self._buf, self._pos, i + 1
        self._pos = pos
        return found
