"""The one way Kura reads an untrusted zip archive (.docx, .xlsx): bounded and streaming.

:class:`BoundedArchive` checks what the central directory declares (member count,
sizes, ratios) when it opens, then hands out members only as streams that count the
bytes that really come out of the decompressor: a member over its own limit, an archive
over its total, a member whose real ratio exceeds the limit, or XML with more tags than
``max_xml_tags`` stops the read at once, however the headers lie. Every library failure
while reading (a damaged or encrypted member, an unsupported compression, bad deflate
data) becomes an :class:`IngestionFailed` naming the file. The cancel token is checked
for every block inflated.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

from desktop.core.errors import IngestionFailed
from desktop.core.tasks import CancelToken
from desktop.retrieval.formats.base import MIB, ParseLimits, display_name

_RATIO_FLOOR = MIB  # members smaller than this are never judged by their ratio
_BLOCK = 256 * 1024
_XML_SUFFIXES = (".xml", ".rels", ".vml")
# What zipfile and zlib raise on a damaged archive or member.
_DAMAGED = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, zlib.error)


class BoundedArchive:
    """A zip archive opened under :class:`ParseLimits`; read members with :meth:`open`
    or :meth:`read`, or check every member once with :meth:`inflate_all`."""

    def __init__(self, name: str, data: bytes, limits: ParseLimits, cancel: CancelToken) -> None:
        self.shown = display_name(name)
        self._limits = limits
        self._cancel = cancel
        self._inflated = 0  # all members together, as really inflated so far
        self._tags = 0  # XML tags ("<") seen in all members together
        self._verified: set[str] = set()  # members read to their end within the limits
        with self.guard():
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            self._members = {info.filename: info for info in self._zip.infolist()}
            self._check_directory(list(self._members.values()))

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> BoundedArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def names(self) -> list[str]:
        return list(self._members)

    def has(self, member: str) -> bool:
        return member in self._members

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Turn zipfile's and zlib's failures inside the block into IngestionFailed."""
        try:
            yield
        except IngestionFailed:
            raise
        except NotImplementedError as exc:  # an unsupported compression method
            raise IngestionFailed(
                "knowledge.zip_compression_unsupported",
                stage="parse",
                name=self.shown,
                details=str(exc),
            ) from exc
        except RuntimeError as exc:  # zipfile: "File ... is encrypted, password required"
            raise IngestionFailed(
                "knowledge.office_encrypted", stage="parse", name=self.shown, details=str(exc)
            ) from exc
        except _DAMAGED as exc:
            self.damaged(exc)

    def damaged(self, exc: BaseException) -> NoReturn:
        raise IngestionFailed(
            "knowledge.office_damaged",
            stage="parse",
            name=self.shown,
            details=f"{type(exc).__name__}: {exc}",
        ) from exc

    def blocks(self, member: str) -> Iterator[bytes]:
        """``member``'s bytes, block by block, within every limit."""
        info = self._members.get(member)
        if info is None:
            self.damaged(KeyError(f"no {member} in the archive"))
        xml = member.lower().endswith(_XML_SUFFIXES)
        counted = member not in self._verified  # a second read is known to be in bounds
        size = 0
        with self.guard(), self._zip.open(info) as stream:
            while True:
                self._cancel.raise_if_cancelled()
                block = stream.read(_BLOCK)
                if not block:
                    self._verified.add(member)
                    return
                if not counted:
                    yield block
                    continue
                size += len(block)
                self._inflated += len(block)
                self._check_inflated(info, size)
                if xml:
                    self._tags += block.count(b"<")
                    self._check_tags()
                yield block

    def read(self, member: str) -> bytes:
        """All of ``member`` (within the limits)."""
        return b"".join(self.blocks(member))

    def open(self, member: str) -> io.BufferedReader:
        """``member`` as a binary stream (within the limits), for an XML parser."""
        return io.BufferedReader(_BlockStream(self.blocks(member)), buffer_size=_BLOCK)

    def inflate_all(self) -> None:
        """Inflate every member once, through the limits, keeping nothing: a bomb, a
        lying header, an encrypted or damaged member or too many XML tags is refused
        at C speed before any parser sees the archive. After this a library may read
        the archive itself, every member known to be within bounds."""
        for member in self._members:
            for _ in self.blocks(member):
                pass

    # ------------------------------------------------------------ the checks

    def _check_directory(self, members: list[zipfile.ZipInfo]) -> None:
        limits = self._limits
        if len(members) > limits.max_zip_members:
            raise IngestionFailed(
                "knowledge.zip_bomb_members", stage="limits", name=self.shown, count=len(members)
            )
        total = sum(m.file_size for m in members)
        if total > limits.max_unzipped_bytes:
            self._too_big(total)
        for member in members:
            if member.file_size > limits.max_member_bytes:
                self._member_too_big(member)
            self._check_ratio(member, member.file_size)

    def _check_inflated(self, member: zipfile.ZipInfo, size: int) -> None:
        if self._inflated > self._limits.max_unzipped_bytes:
            raise IngestionFailed(
                "knowledge.zip_bomb_inflated",
                stage="limits",
                name=self.shown,
                limit=self._limits.max_unzipped_bytes / MIB,
            )
        if size > self._limits.max_member_bytes:
            self._member_too_big(member)
        self._check_ratio(member, size)

    def _check_ratio(self, member: zipfile.ZipInfo, size: int) -> None:
        ratio = size / max(member.compress_size, 1)
        if size > _RATIO_FLOOR and ratio > self._limits.max_zip_ratio:
            raise IngestionFailed(
                "knowledge.zip_bomb_ratio",
                stage="limits",
                name=self.shown,
                ratio=ratio,
                member=display_name(member.filename),
            )

    def _check_tags(self) -> None:
        if self._tags > self._limits.max_xml_tags:
            raise IngestionFailed(
                "knowledge.xml_too_many_elements",
                stage="limits",
                name=self.shown,
                limit=self._limits.max_xml_tags,
            )

    def _too_big(self, total: int) -> NoReturn:
        raise IngestionFailed(
            "knowledge.zip_bomb_size",
            stage="limits",
            name=self.shown,
            size=total / MIB,
            limit=self._limits.max_unzipped_bytes / MIB,
        )

    def _member_too_big(self, member: zipfile.ZipInfo) -> NoReturn:
        raise IngestionFailed(
            "knowledge.zip_member_too_large",
            stage="limits",
            name=self.shown,
            member=display_name(member.filename),
            limit=self._limits.max_member_bytes / MIB,
        )


class _BlockStream(io.RawIOBase):
    """A read-only raw stream over an iterator of byte blocks."""

    def __init__(self, blocks: Iterator[bytes]) -> None:
        self._blocks = blocks
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            block = next(self._blocks, None)
            if block is None:
                return 0
            self._pending = block
        count = min(len(buffer), len(self._pending))
        buffer[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        return count
