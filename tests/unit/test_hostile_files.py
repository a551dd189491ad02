"""Hostile files (tests/hostile_files.py): each fails alone with one line naming it, the
rest of its batch ingests, and parsing each stays within generous resources.

The resource check runs every file in one child process capped at 1 GiB of address
space (RLIMIT_AS) and a CPU-time ceiling (RLIMIT_CPU): a file that needs more is
killed, and the test fails, however fast or slow this machine is. No wall clock.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from desktop import app
from desktop.core.errors import Cancelled, IngestionFailed
from desktop.core.models import Actor
from desktop.core.tasks import CancelToken
from desktop.retrieval.formats.archive import BoundedArchive
from desktop.retrieval.parsers import FileParser, ParseLimits
from tests import docs_factory as f
from tests import hostile_files as h
from tests.fakes import MemorySource

GIB = 2**30
CPU_SECONDS_PER_FILE = 30

_CHILD = """
import json, resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
from desktop.core.errors import IngestionFailed
from desktop.retrieval.parsers import FileParser
results = {}
for path in sorted(Path(sys.argv[1]).iterdir()):
    try:
        FileParser().parse(path.name, path.read_bytes())
        results[path.name] = "parsed"
    except IngestionFailed as exc:
        results[path.name] = exc.message
print(json.dumps(results))
"""


def test_every_hostile_file_fails_alone_within_1_gib_and_30_cpu_seconds_each(
    tmp_path: Path,
) -> None:
    for name, make in h.HOSTILE.items():
        (tmp_path / name).write_bytes(make())
    cpu = CPU_SECONDS_PER_FILE * len(h.HOSTILE)
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(tmp_path), str(GIB)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[2],
        preexec_fn=lambda: _limit_cpu(cpu),
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    outcomes = json.loads(result.stdout)
    assert set(outcomes) == set(h.HOSTILE)
    for name, outcome in outcomes.items():
        assert "\n" not in outcome
        assert outcome == "parsed" or name in outcome, (name, outcome)
    refused = {n for n, o in outcomes.items() if o != "parsed"}
    # the CSV and HTML traps hold readable text; everything else is refused
    assert refused == set(h.HOSTILE) - {"sniffer-trap.csv", "undefined-charset.html"}


def _limit_cpu(seconds: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))


def test_hostile_files_fail_one_line_each_and_the_rest_of_the_batch_ingests(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    kb = ws.knowledge.create(people["ada"], "docs")
    hostile = [MemorySource(name, make()) for name, make in h.HOSTILE.items()]
    good = [MemorySource("good.txt", b"A good sentence."), MemorySource("ok.docx", f.docx_bytes())]
    report = ws.knowledge.ingest(people["ada"], kb.id, [good[0], *hostile, good[1]])
    added = {a["name"] for a in report.added}
    assert {"good.txt", "ok.docx"} <= added
    failed = {x["name"]: x["error"] for x in report.failed}
    assert set(failed) | added == {s.name for s in [*hostile, *good]}
    assert all("\n" not in e and n in e for n, e in failed.items())
    for name in ("encrypted-member.docx", "corrupt-deflate.docx", "empty-paragraphs.docx"):
        assert name in failed


# ---------------------------------------------------------------- one by one


def refusal(name: str, data: bytes, parser: FileParser | None = None) -> IngestionFailed:
    with pytest.raises(IngestionFailed) as caught:
        (parser or FileParser()).parse(name, data)
    assert "\n" not in caught.value.message and name in caught.value.message
    return caught.value


def test_docx_with_an_encrypted_member_is_refused_as_encrypted() -> None:
    error = refusal("locked.docx", h.encrypted_member_docx())
    assert error.code == "knowledge.office_encrypted" and error.stage == "parse"


def test_docx_with_bad_deflate_data_is_refused_as_damaged() -> None:
    assert refusal("bad.docx", h.corrupt_deflate_docx()).code == "knowledge.office_damaged"


def test_docx_of_millions_of_empty_paragraphs_is_refused_by_its_xml_element_count() -> None:
    error = refusal("empty.docx", h.empty_paragraphs_docx())
    assert error.code == "knowledge.xml_too_many_elements" and error.stage == "limits"


def test_docx_under_the_element_limit_streams_and_ends_with_no_text() -> None:
    parser = FileParser(ParseLimits(max_xml_tags=300_000))
    assert refusal("few.docx", h.empty_paragraphs_docx(200_000), parser).code == "knowledge.no_text"


def test_docx_entities_are_never_expanded() -> None:
    assert refusal("lol.docx", h.entity_expansion_docx()).stage == "parse"


def test_html_declaring_the_undefined_codec_is_decoded_by_detection() -> None:
    doc = FileParser().parse("odd.html", h.undefined_charset_html())
    assert "caf" in doc.text


def test_csv_sniffer_sees_a_bounded_sample() -> None:
    from desktop.retrieval.formats.text import sniff_sample

    text = "a,b\n" * 10_000
    sample = sniff_sample(text)
    assert len(sample) <= 8 * 1024 and sample.endswith("a,b")
    assert FileParser().parse("trap.csv", h.sniffer_trap_csv(2000)).kind == "csv"


def test_a_library_failure_of_any_kind_fails_only_that_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import desktop.retrieval.parsers as parsers

    def explode(*_: object) -> None:
        raise KeyError("word/document.xml")

    monkeypatch.setitem(parsers._READERS, ".txt", explode)
    error = refusal("x.txt", b"text")
    assert error.code == "knowledge.file_unreadable" and "KeyError" in error.details


def test_zip_member_over_its_own_limit_is_refused() -> None:
    parser = FileParser(ParseLimits(max_member_bytes=1000))
    assert refusal("big.docx", f.docx_bytes(), parser).code == "knowledge.zip_member_too_large"


def test_bounded_archive_catches_a_lying_member_while_reading_it() -> None:
    with (
        BoundedArchive("liar.docx", f.lying_zip_docx(), ParseLimits(), CancelToken()) as archive,
        pytest.raises(IngestionFailed),
    ):
        archive.read("word/media/big.bin")


def test_cancel_interrupts_a_docx_being_read() -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        FileParser().parse("long.docx", f.docx_bytes(), token)


def test_xlsx_with_an_encrypted_member_is_refused() -> None:
    data = bytearray(f.xlsx_bytes())
    with zipfile.ZipFile(BytesIO(bytes(data))) as archive:
        first = archive.infolist()[0]
    data[first.header_offset + 6] |= 0x01
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 0x01
    assert refusal("locked.xlsx", bytes(data)).code == "knowledge.office_encrypted"
