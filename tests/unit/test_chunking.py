"""SentenceChunker: sentence ends, sizes, overlap, sections and exact spans."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.knowledge_models import Chunk, ParsedDocument, Section
from desktop.retrieval.chunking import SentenceChunker, sentences
from desktop.retrieval.parsers import FileParser
from tests import docs_factory as f

CHUNKER = SentenceChunker()
ENDS = "。！？．"


def doc_of(text: str, sections: tuple[Section, ...] = ()) -> ParsedDocument:
    return ParsedDocument(text, "txt", sections)


def bodies(doc: ParsedDocument, chunks: list[Chunk]) -> list[str]:
    return [doc.text[c.start : c.end] for c in chunks]


def assert_invariants(doc: ParsedDocument, chunks: list[Chunk], size: int) -> None:
    assert [c.index for c in chunks] == list(range(len(chunks)))
    for chunk in chunks:
        body = doc.text[chunk.start : chunk.end]
        assert 0 <= chunk.start < chunk.end <= len(doc.text)
        assert chunk.end - chunk.start <= size
        assert body.strip() == body and body
        prefix = chunk.text[: len(chunk.text) - len(body)]
        assert chunk.text.endswith(body)
        assert prefix == "" or chunk.heading.startswith(prefix.rstrip("\n"))
    for a, b in itertools.pairwise(chunks):
        assert a.start < b.start and a.end < b.end
    covered: set[int] = set()
    for chunk in chunks:
        covered.update(range(chunk.start, chunk.end))
    missing = [i for i, ch in enumerate(doc.text) if not ch.isspace() and i not in covered]
    assert not missing, "every visible character is in some chunk"


# ---------------------------------------------------------------- examples


def test_japanese_sentence_ends() -> None:
    text = "今日は晴れです。明日は雨でしょうか？たぶん晴れます！「はい。」と答えた．以上"
    spans = sentences(text, 0, len(text), 100)
    assert [text[a:b] for a, b in spans] == [
        "今日は晴れです。",
        "明日は雨でしょうか？",
        "たぶん晴れます！",
        "「はい。」",
        "と答えた．",
        "以上",
    ]


def test_english_sentence_ends_need_a_space() -> None:
    text = "Version 3.14 is out. Try it!Really? Yes.\nNext line"
    spans = sentences(text, 0, len(text), 100)
    assert [text[a:b] for a, b in spans] == [
        "Version 3.14 is out.",
        "Try it!Really?",
        "Yes.",
        "Next line",
    ]


def test_ascii_marks_before_japanese_end_a_sentence() -> None:
    text = "AI導入!Difyの解説です?次へ"
    assert [text[a:b] for a, b in sentences(text, 0, len(text), 100)] == [
        "AI導入!",
        "Difyの解説です?",
        "次へ",
    ]


def test_sentences_are_packed_without_splitting() -> None:
    text = "一つ目の文です。二つ目の文です。三つ目の文です。四つ目の文です。"
    doc = doc_of(text)
    chunks = CHUNKER.chunk(doc, 20, 0)
    assert bodies(doc, chunks) == [
        "一つ目の文です。二つ目の文です。",
        "三つ目の文です。四つ目の文です。",
    ]


def test_overlap_carries_the_last_sentence() -> None:
    text = "一つ目の文です。二つ目の文です。三つ目の文です。四つ目の文です。"
    doc = doc_of(text)
    chunks = CHUNKER.chunk(doc, 24, 8)
    assert bodies(doc, chunks) == [
        "一つ目の文です。二つ目の文です。三つ目の文です。",
        "三つ目の文です。四つ目の文です。",
    ]


def test_a_long_sentence_is_split_at_a_comma() -> None:
    text = "これは、" + "あ" * 30 + "、とても長い文なので、途中で切るしかありません。"
    doc = doc_of(text)
    chunks = CHUNKER.chunk(doc, 40, 0)
    assert all(c.end - c.start <= 40 for c in chunks)
    assert bodies(doc, chunks)[0].endswith("、")
    assert "".join(bodies(doc, chunks)) == text


def test_chunks_stay_in_their_section_with_the_heading() -> None:
    doc = FileParser().parse("guide.md", f.markdown_bytes())
    chunks = CHUNKER.chunk(doc, 100, 20)
    assert [c.heading for c in chunks] == ["", "概要", "概要 > 導入", "Setext Title"]
    assert chunks[1].text.startswith("# 概要\n")  # the heading line is already there
    small = CHUNKER.chunk(doc, 30, 0)
    first, *later = [c for c in small if c.heading == "概要 > 導入"]
    assert first.text.startswith("概要\n## 導入\n")  # only the parent is added
    assert later and all(c.text.startswith("概要 > 導入\n") for c in later)
    for chunk in small:
        section = next((s for s in doc.sections if s.heading == chunk.heading), None)
        if section is not None:
            assert section.start <= chunk.start < chunk.end <= section.end


def test_whitespace_only_text_gives_no_chunks() -> None:
    assert CHUNKER.chunk(doc_of(" \n\n\t "), 100, 10) == []


def test_deterministic() -> None:
    doc = FileParser().parse("kb.docx", f.docx_bytes())
    assert CHUNKER.chunk(doc, 100, 30) == CHUNKER.chunk(doc, 100, 30)


@pytest.mark.parametrize(("size", "overlap"), [(0, 0), (10, 10), (10, -1)])
def test_bad_sizes_are_rejected(size: int, overlap: int) -> None:
    with pytest.raises(ValueError):
        CHUNKER.chunk(doc_of("text"), size, overlap)


# ---------------------------------------------------------------- properties

ALPHABET = "あいうかきくアイウ日本語漢字abc xyz0.,、！？。．!?\n\t「」"


@st.composite
def documents(draw: st.DrawFn) -> ParsedDocument:
    text = draw(st.text(alphabet=ALPHABET, max_size=600))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=6, unique=True)))
    sections = tuple(
        Section(f"見出し{i}", a, b)
        for i, (a, b) in enumerate(itertools.pairwise(cuts))
        if draw(st.booleans())
    )
    return doc_of(text, sections)


@settings(max_examples=300, deadline=None)
@given(doc=documents(), size=st.integers(5, 200), data=st.data())
def test_chunk_invariants(doc: ParsedDocument, size: int, data: st.DataObject) -> None:
    overlap = data.draw(st.integers(0, size - 1))
    chunks = CHUNKER.chunk(doc, size, overlap)
    assert_invariants(doc, chunks, size)
    for chunk in chunks:  # never across a section boundary
        for section in doc.sections:
            inside = section.start <= chunk.start and chunk.end <= section.end
            outside = chunk.end <= section.start or chunk.start >= section.end
            assert inside or outside
            if inside:
                assert chunk.heading == section.heading


SENTENCE = st.builds(
    lambda body, end: body + end,
    st.text(alphabet="あいう日本語アイウ、", min_size=1, max_size=15),
    st.sampled_from(list(ENDS)),
)


@settings(max_examples=200, deadline=None)
@given(
    parts=st.lists(SENTENCE, min_size=1, max_size=40),
    size=st.integers(20, 120),
    overlap=st.integers(0, 9),
)
def test_japanese_sentence_ends_are_honoured(parts: list[str], size: int, overlap: int) -> None:
    text = "".join(parts)
    doc = doc_of(text)
    chunks = CHUNKER.chunk(doc, size, overlap)
    assert_invariants(doc, chunks, size)
    ends = set()
    position = 0
    for part in parts:
        position += len(part)
        ends.add(position)
    starts = {0} | ends
    for chunk in chunks:  # every sentence is shorter than size: none is ever split
        assert chunk.end in ends
        assert chunk.start in starts
        assert doc.text[chunk.end - 1] in ENDS


def test_a_heading_with_no_text_of_its_own_joins_the_next_section() -> None:
    """A heading followed at once by a sub-heading is no chunk of its own (a chunk that
    holds nothing but a heading matches any question on its words and answers none)."""
    html = (
        "<h1>第8章 I18N と L10N</h1><h2>8.2. キーボード入力</h2>"
        "<h3>8.2.1. コンソールの入力</h3><p>キーボード配列は dpkg-reconfigure で設定します。</p>"
        "<h2>8.3. 表示</h2>"
    ).encode()
    doc = FileParser().parse("ch.html", html)
    chunks = CHUNKER.chunk(doc, 400, 0)
    assert_invariants(doc, chunks, 400)
    first = chunks[0]
    assert "8.2. キーボード入力" in doc.text[first.start : first.end]
    assert "キーボード配列" in first.text
    # the last heading has no section after it to join, so it stays searchable on its own
    assert doc.text[chunks[-1].start : chunks[-1].end] == "8.3. 表示"
    assert len(chunks) == 2
