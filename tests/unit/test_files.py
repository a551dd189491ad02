"""desktop.files.collect_sources: what ``kura kb add`` and the GUI's ingest panel add."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.errors import Cancelled
from desktop.core.tasks import CancelToken
from desktop.files import Missing, collect_sources


def _tree(root: Path) -> None:
    (root / "docs" / "sub").mkdir(parents=True)
    (root / "docs" / ".hidden").mkdir()
    (root / "docs" / "a.md").write_text("a")
    (root / "docs" / "b.bin").write_bytes(b"\0")
    (root / "docs" / ".secret.md").write_text("s")
    (root / "docs" / "sub" / "c.txt").write_text("cc")
    (root / "docs" / ".hidden" / "d.md").write_text("d")
    (root / "lone.bin").write_bytes(b"xyz")


def test_folders_name_files_by_their_path_in_them_and_skip_hidden_ones(tmp_path: Path) -> None:
    _tree(tmp_path)
    sources, missing = collect_sources([str(tmp_path / "docs"), str(tmp_path / "lone.bin")])
    assert [(s.name, s.size) for s in sources] == [
        ("a.md", 1),
        ("b.bin", 1),
        ("sub/c.txt", 2),
        ("lone.bin", 3),
    ]
    assert sources[2].read() == b"cc" and missing == []


def test_keep_filters_folders_but_a_file_named_directly_is_always_taken(tmp_path: Path) -> None:
    _tree(tmp_path)
    paths = [str(tmp_path / "docs"), str(tmp_path / "lone.bin")]
    sources, _ = collect_sources(paths, keep=lambda name: name.endswith((".md", ".txt")))
    assert [s.name for s in sources] == ["a.md", "sub/c.txt", "lone.bin"]


def test_paths_that_are_not_there_are_reported_as_given(tmp_path: Path) -> None:
    gone = str(tmp_path / "gone.md")
    sources, missing = collect_sources([gone])
    assert sources == [] and missing == [Missing("gone.md", gone)]


def test_a_cancelled_token_stops_the_walk(tmp_path: Path) -> None:
    _tree(tmp_path)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        collect_sources([str(tmp_path / "docs")], token)


def test_links_that_leave_a_folder_are_listed_to_fail_and_never_read(tmp_path: Path) -> None:
    from desktop.core.errors import IngestionFailed

    (tmp_path / "secret.txt").write_text("SECRET")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "x.txt").write_text("x")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "real.txt").write_text("real")
    (docs / "notes.txt").symlink_to("../secret.txt")
    (docs / "alias.txt").symlink_to("real.txt")  # stays inside: read as usual
    (docs / "elsewhere").symlink_to(tmp_path / "outside", target_is_directory=True)
    sources, missing = collect_sources([str(docs)])
    by_name = {s.name: s for s in sources}
    assert sorted(by_name) == ["alias.txt", "elsewhere", "notes.txt", "real.txt"]
    assert missing == []
    assert by_name["alias.txt"].read() == b"real"
    for name in ("notes.txt", "elsewhere"):
        with pytest.raises(IngestionFailed) as caught:
            by_name[name].read()
        assert caught.value.code == "knowledge.link_outside_folder"
        assert name in caught.value.message and "SECRET" not in caught.value.message


def test_a_file_swapped_for_an_outside_link_after_the_walk_is_refused(tmp_path: Path) -> None:
    from desktop.core.errors import IngestionFailed

    (tmp_path / "secret.txt").write_text("SECRET")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("a")
    [source], _ = collect_sources([str(docs)])
    (docs / "a.txt").unlink()
    (docs / "a.txt").symlink_to("../secret.txt")
    with pytest.raises(IngestionFailed):
        source.read()


def test_a_link_named_directly_is_read(tmp_path: Path) -> None:
    (tmp_path / "target.txt").write_text("t")
    (tmp_path / "link.txt").symlink_to("target.txt")
    [source], _ = collect_sources([str(tmp_path / "link.txt")])
    assert source.read() == b"t"
