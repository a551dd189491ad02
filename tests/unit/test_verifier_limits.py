"""The shipped verifier reads hostile bundles within bounded memory.

Each crafted bundle is verified by ``verify_bundle.py`` in a child process whose address
space is capped (RLIMIT_AS 256 MiB): the verifier must refuse it with its own reason,
not run out of memory. The former reader took every member whole before any check."""

from __future__ import annotations

import hashlib
import io
import resource
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from desktop.core.bundle import NAMESPACE
from desktop.security.signing import sshsig_sign
from desktop.verifier import bundle_verify as bv
from tests.unit.test_bundle import SEED, checkpoint, rich_bundle, unzip

ADDRESS_SPACE = 256 << 20
BOMB_MIB = 300  # more than the whole address space allows


def deflate_zeros(mib: int) -> tuple[bytes, int]:
    """A raw deflate stream of ``mib`` MiB of zeros (about 1 KiB per MiB) and its CRC."""
    block_in = b"\0" * (1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(block_in) + c.flush(zlib.Z_FULL_FLUSH)  # no history carried over
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(block_in, crc)
    return block * mib + zlib.compressobj(9, zlib.DEFLATED, -15).flush(), crc


def raw_zip(entries: list[tuple[str, int, bytes, int, int]]) -> bytes:
    """A zip written by hand, so sizes can be anything: (name, method, data, crc, size)."""
    out, cd = bytearray(), bytearray()
    for name, method, data, crc, size in entries:
        n = name.encode()
        head = (0x21, crc, len(data), size, len(n))
        cd += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, *head, 0, 0, 0,
                          0, 0, len(out)) + n  # fmt: skip
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, *head, 0) + n + data
    eocd = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(cd),
                       len(out), 0)  # fmt: skip
    return bytes(out + cd + eocd)


def stored(files: dict[str, bytes]) -> list[tuple[str, int, bytes, int, int]]:
    return [(n, 0, d, zlib.crc32(d), len(d)) for n, d in files.items()]


def fingerprint() -> str:
    return str(checkpoint(rich_bundle())["key_fingerprint"])


def verify_capped(bundle: Path) -> subprocess.CompletedProcess[str]:
    """verify_bundle.py on ``bundle`` in a child limited to ADDRESS_SPACE bytes."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    return subprocess.run(
        [sys.executable, "-I", "-S", bv.__file__, str(bundle), "--fingerprint", fingerprint()],
        preexec_fn=cap,
        capture_output=True,
        text=True,
        check=False,
    )


def refused(run: subprocess.CompletedProcess[str], reason: str) -> bool:
    return (
        run.returncode == 1
        and run.stdout.startswith("FAILED: ")
        and reason in run.stdout
        and "MemoryError" not in run.stdout + run.stderr
    )


def test_a_real_bundle_verifies_within_the_address_space_cap(tmp_path: Path) -> None:
    (tmp_path / "b.zip").write_bytes(rich_bundle())
    run = verify_capped(tmp_path / "b.zip")
    assert run.returncode == 0 and run.stdout.startswith("OK: 8 events"), run.stdout + run.stderr


def test_zip_bomb_member_is_refused_from_its_declared_size(tmp_path: Path) -> None:
    files = unzip(rich_bundle())
    bomb, crc = deflate_zeros(BOMB_MIB)
    entries = stored({k: v for k, v in files.items() if k != "VERIFY.txt"})
    entries.append(("VERIFY.txt", zipfile.ZIP_DEFLATED, bomb, crc, BOMB_MIB << 20))
    (tmp_path / "b.zip").write_bytes(raw_zip(entries))
    run = verify_capped(tmp_path / "b.zip")
    assert refused(run, "VERIFY.txt is larger than its limit"), run.stdout + run.stderr


def test_huge_declared_size_is_refused_without_reading(tmp_path: Path) -> None:
    files = unzip(rich_bundle())
    entries = stored(files)
    name, method, data, crc, _ = entries[0]
    entries[0] = (name, method, data, crc, 0xFFFFFFF0)
    (tmp_path / "b.zip").write_bytes(raw_zip(entries))
    run = verify_capped(tmp_path / "b.zip")
    assert refused(run, f"{name} is larger than its limit"), run.stdout + run.stderr


def test_lying_small_declared_size_stops_at_the_declared_size(tmp_path: Path) -> None:
    files = unzip(rich_bundle())
    bomb, crc = deflate_zeros(BOMB_MIB)
    entries = stored({k: v for k, v in files.items() if k != "SHA256SUMS"})
    entries.append(("SHA256SUMS", zipfile.ZIP_DEFLATED, bomb, crc, 400))
    (tmp_path / "b.zip").write_bytes(raw_zip(entries))
    run = verify_capped(tmp_path / "b.zip")
    assert refused(run, "SHA256SUMS"), run.stdout + run.stderr


def test_signed_events_bomb_is_streamed_not_held(tmp_path: Path) -> None:
    """A bundle its maker signed (any key passes integrity) whose events.jsonl is
    300 MiB without a newline: streamed and hashed, refused for the line length."""
    files = unzip(rich_bundle())
    bomb, crc = deflate_zeros(BOMB_MIB)
    sha = hashlib.sha256()
    for _ in range(BOMB_MIB):
        sha.update(b"\0" * (1 << 20))
    sums = b"".join(
        f"{sha.hexdigest() if n == 'events.jsonl' else hashlib.sha256(files[n]).hexdigest()}"
        f"  {n}\n".encode()
        for n in bv.SUMMED_FILES
    )
    files["SHA256SUMS"] = sums
    files["SHA256SUMS.sig"] = sshsig_sign(SEED, sums, NAMESPACE).encode()
    entries = stored({k: v for k, v in files.items() if k != "events.jsonl"})
    entries.append(("events.jsonl", zipfile.ZIP_DEFLATED, bomb, crc, BOMB_MIB << 20))
    (tmp_path / "b.zip").write_bytes(raw_zip(entries))
    run = verify_capped(tmp_path / "b.zip")
    assert refused(run, "events.jsonl line 1 is longer than"), run.stdout + run.stderr


def test_a_million_member_directory_is_refused_before_zipfile_reads_it(tmp_path: Path) -> None:
    count = 600_000
    fixed = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0x21, 0, 0, 0, 6, 0,
                        0, 0, 0, 0, 0)  # fmt: skip
    cd = b"".join(fixed + b"%06d" % i for i in range(count))
    eocd = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, len(cd), 0, 0)
    (tmp_path / "b.zip").write_bytes(cd + eocd)
    run = verify_capped(tmp_path / "b.zip")
    assert refused(run, "entries in a"), run.stdout + run.stderr


def test_a_member_that_outgrows_its_limit_while_streaming_is_refused() -> None:
    """Declared sizes can lie (or a file can grow after it was measured): the bytes are
    counted as they arrive."""

    class Endless(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
            buffer[:] = b"x" * len(buffer)
            return len(buffer)

    members = bv._Members(lambda name: io.BufferedReader(Endless()))
    with pytest.raises(bv.BundleError, match="SHA256SUMS is larger than its limit"):
        members.read("SHA256SUMS")
    with pytest.raises(bv.BundleError, match=r"events\.jsonl is larger than its limit"):
        for _ in members.chunks("events.jsonl"):
            pass


@pytest.mark.parametrize("name", ["notes.txt", "events.jsonl"])
def test_unexpected_or_duplicate_members_are_refused(tmp_path: Path, name: str) -> None:
    entries = stored(unzip(rich_bundle()))
    entries.append((name, 0, b"x", zlib.crc32(b"x"), 1))
    (tmp_path / "b.zip").write_bytes(raw_zip(entries))
    run = verify_capped(tmp_path / "b.zip")
    assert run.returncode == 1 and ("unexpected entry" in run.stdout or "twice" in run.stdout)


def test_lzma_and_other_methods_are_refused() -> None:
    files = unzip(rich_bundle())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_LZMA) as zf:
        for n, d in files.items():
            zf.writestr(n, d)
    report = bv.verify_bundle_bytes(buf.getvalue(), fingerprint=fingerprint())
    assert not report.ok and "only stored and deflated" in report.reason
