"""``kura logs export`` writes its bundle: never over a file, nothing left on failure."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from desktop.cli.logs import write_new
from desktop.core.errors import InputError


def test_writes_owner_only_and_never_replaces(tmp_path: Path) -> None:
    out = tmp_path / "b.zip"
    write_new(out, b"bundle")
    assert out.read_bytes() == b"bundle"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with pytest.raises(InputError, match="already exists"):
        write_new(out, b"other")
    assert out.read_bytes() == b"bundle" and sorted(p.name for p in tmp_path.iterdir()) == ["b.zip"]


def test_media_without_hard_links_still_get_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(src: object, dst: object) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    write_new(tmp_path / "b.zip", b"bundle")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.zip"]


def test_missing_folders_and_failed_writes_leave_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(InputError, match="no such folder"):
        write_new(tmp_path / "missing" / "b.zip", b"x")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(InputError, match=r"cannot write .*No space left on device"):
        write_new(tmp_path / "b.zip", b"x")
    assert list(tmp_path.iterdir()) == []  # no partial file, no bundle
