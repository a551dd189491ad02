"""Knowledge bases end to end: real CLI, real keyring, real embedder, real demo GGUF."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests import docs_factory as f
from tests.integration.cli_support import Kura, require_secret_service

pytestmark = [pytest.mark.keyring, pytest.mark.slow]

PW = "correct horse battery staple"
CANARIES = ["CANARY-txt-5e1f", "CANARY-pdf-77aa", "CANARY-docx-b0b0", "カナリア本文-42"]


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Canary", level=1)
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def kura(tmp_path: Path) -> Kura:
    require_secret_service()
    k = Kura(tmp_path / "ws", tmp_path / "tmp")
    k.init("owner", PW)
    res = _run(k, "kb", "create", "--name", "docs", "--visibility", "all")
    assert res.code == 0, res.err
    return k


def _as() -> tuple[str, ...]:
    return ("--user", "owner", "--password-stdin")


def _run(k: Kura, *args: str):  # type: ignore[no-untyped-def]
    return k(*args, *_as(), stdin=PW + "\n")


def _rag_app(k: Kura, model: Path, *, max_tokens: int) -> None:
    """Register the demo model and a greedy app linked to knowledge base 1."""
    assert _run(k, "models", "add", str(model), "--name", "demo").code == 0
    res = _run(
        k,
        "apps",
        "create",
        "--name",
        "rag",
        "--model",
        "demo",
        "--kb",
        "1",
        "--param",
        f"max_tokens={max_tokens}",
        "--param",
        "temperature=0",
    )
    assert res.code == 0, res.err


def test_every_format_and_encoding_ingests_and_is_searchable(kura: Kura, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    files = {
        "utf8.txt": f.text_bytes(f.JA_TEXT, "utf-8"),
        "utf8bom.txt": f.text_bytes(f.JA_TEXT, "utf-8", bom=True),
        "utf16.txt": f.text_bytes(f.JA_TEXT, "utf-16-le", bom=True),
        "sjis.txt": f.text_bytes(f.CP932_TEXT + f.JA_TEXT, "cp932"),
        "eucjp.txt": f.text_bytes(f.JA_TEXT, "euc_jp"),
        "notes.md": f.markdown_bytes(),
        "page.html": f.html_bytes(charset="shift_jis"),
        "book.pdf": f.pdf_bytes(
            ["Kura keeps knowledge private.", "検索は暗号化された索引で行う。"]
        ),
        "guide.docx": f.docx_bytes(),
        "sheet.xlsx": f.xlsx_bytes(),
        "table.csv": f.csv_bytes(),
        "data.json": f.json_bytes(),
    }
    for name, data in files.items():
        (folder / "sub" / name if name == "data.json" else folder / name).write_bytes(data)
    res = _run(kura, "kb", "add", "docs", str(folder), "--json")
    assert res.code == 0, res.err
    report = res.json()
    assert len(report["added"]) == len(files) and not report["failed"]
    docs = _run(kura, "kb", "docs", "docs", "--json").json()["documents"]
    assert {d["name"] for d in docs} == {*(n for n in files if n != "data.json"), "sub/data.json"}
    assert set(docs[0]) >= {"name", "version", "chunks", "bytes", "added_by", "added_at"}
    for query, expected in (
        ("四段階", "utf8.txt"),
        ("手順を確認", "sjis.txt"),
        ("暗号化された索引", "book.pdf"),
        ("2000ページ", "guide.docx"),
        ("管理者", "table.csv"),
    ):
        hits = _run(kura, "kb", "search", "docs", query, "--mode", "fulltext", "--json")
        assert hits.code == 0, hits.err
        found = {h["document"] for h in hits.json()["results"]}
        assert expected in found, (query, found)
    hybrid = _run(kura, "kb", "search", "docs", "Kura keeps knowledge private", "--json")
    top = hybrid.json()["results"][0]
    assert (
        set(top)
        == {"kb_id", "document", "version", "chunk", "heading", "span", "text", "score", "scores"}
        and top["document"] == "book.pdf"
    )


def test_bad_files_are_reported_one_line_each_and_the_rest_ingests(
    kura: Kura, tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    bad = {
        "corrupt.pdf": f.corrupt_pdf_bytes(),
        "locked.pdf": f.encrypted_pdf_bytes(),
        "empty.txt": b"",
        "binary.txt": f.binary_bytes(),
        "bomb.docx": f.zip_bomb_docx(),
        "huge.txt": b"a" * (51 * 2**20),
    }
    for name, data in bad.items():
        (folder / name).write_bytes(data)
    (folder / "good.txt").write_text("A good document about lighthouses.", encoding="utf-8")
    res = _run(kura, "kb", "add", "docs", str(folder), "--json")
    assert res.code == 2
    report = res.json()
    assert [a["name"] for a in report["added"]] == ["good.txt"]
    assert {x["name"] for x in report["failed"]} == set(bad)
    skipped = [line for line in res.err_lines if line.startswith("kura: skipped")]
    assert len(skipped) == len(bad) and "Traceback" not in res.err
    docs = _run(kura, "kb", "docs", "docs", "--json").json()["documents"]
    assert [d["name"] for d in docs] == ["good.txt"]  # nothing partial stored


def test_a_skipped_file_is_reported_in_the_locales_language(kura: Kura, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    japanese = {"LANG": "ja_JP.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
    res = kura("kb", "add", "docs", str(empty), *_as(), stdin=PW + "\n", env=japanese)
    assert res.code == 2, res.err
    assert res.err_lines == [
        "kura: 「empty.txt」をスキップしました: 「empty.txt」は空です。"
        "中身のあるファイルを追加してください"
    ]
    assert "0 added, 0 unchanged, 1 failed" in res.out
    as_json = kura("kb", "add", "docs", str(empty), "--json", *_as(), stdin=PW + "\n", env=japanese)
    failed = [(x["name"], x["error"]) for x in as_json.json()["failed"]]
    assert failed == [("empty.txt", "empty.txt is empty: add a file that has content")]


def test_versions_rollback_reach_search_and_chat(
    kura: Kura, tmp_path: Path, demo_model_path: Path
) -> None:
    doc = tmp_path / "policy.txt"
    doc.write_text("The retention period is SEVEN days.", encoding="utf-8")
    assert _run(kura, "kb", "add", "docs", str(doc)).code == 0
    doc.write_text("The retention period is NINETY days.", encoding="utf-8")
    assert _run(kura, "kb", "add", "docs", str(doc)).code == 0
    versions = _run(kura, "kb", "versions", "docs", "policy.txt", "--json").json()["versions"]
    assert [(v["version"], v["active"]) for v in versions] == [(1, False), (2, True)]
    assert _run(kura, "kb", "rollback", "docs", "policy.txt", "1").code == 0
    hits = _run(kura, "kb", "search", "docs", "retention period", "--json").json()["results"]
    assert hits[0]["version"] == 1 and "SEVEN" in hits[0]["text"]
    assert not any("NINETY" in h["text"] for h in hits)

    _rag_app(kura, demo_model_path, max_tokens=16)
    chat = _run(kura, "chat", "rag", "--message", "What is the retention period?", "--json")
    assert chat.code == 0, chat.err
    cites = chat.json()["citations"]
    assert cites and cites[0]["document"] == "policy.txt" and cites[0]["version"] == 1
    assert set(cites[0]) >= {"document", "version", "chunk", "span", "score"}


def test_no_canary_or_chunk_text_ever_reaches_disk(
    kura: Kura, tmp_path: Path, demo_model_path: Path
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(
        f"Plain text with {CANARIES[0]} and {CANARIES[3]}。", encoding="utf-8"
    )
    (src / "b.pdf").write_bytes(f.pdf_bytes([f"PDF body {CANARIES[1]}"]))
    (src / "c.docx").write_bytes(_docx(f"Word body {CANARIES[2]}"))
    assert _run(kura, "kb", "add", "docs", str(src)).code == 0
    for canary in CANARIES:
        res = _run(kura, "kb", "search", "docs", canary, "--json")
        assert any(canary in h["text"] for h in res.json()["results"]), canary
    _rag_app(kura, demo_model_path, max_tokens=8)
    assert _run(kura, "chat", "rag", "--message", f"Tell me about {CANARIES[0]}").code == 0
    for p in src.iterdir():  # the sources are the user's own files: remove before scanning
        p.unlink()

    from desktop import app

    with app.open_workspace(kura.data_dir, key_store=app.default_key_store()) as ws:
        owner = ws.accounts.authenticate("owner", PW)
        chunk_texts = [h.chunk.text for h in ws.knowledge.search(owner, "docs", "body", k=20)]
    assert chunk_texts
    needles = {
        n
        for c in [*CANARIES, *chunk_texts]
        for n in (c.encode("utf-8"), c.encode("utf-16-le"), c.encode("utf-16-be"))
    }
    names = sorted(p.name for p in kura.data_dir.iterdir())
    assert names in (
        ["keyslots.json", "kura.db"],
        ["keyslots.json", "kura.db", "kura.db-shm", "kura.db-wal"],
    )
    for folder in (kura.data_dir, kura.tmp_dir, tmp_path):
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix != ".gguf":
                data = path.read_bytes()
                assert not any(n in data for n in needles), path.name
