"""fulltext_terms (on Sudachi) and fts5_match_expression on Japanese and English questions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.analysis import index_words
from desktop.retrieval.query import (
    MAX_PHRASE_CHARS,
    MAX_PHRASES,
    MAX_SHORT_TERMS,
    WEAKER,
    fts5_match_expression,
    fulltext_terms,
)

HIRAGANA_NOISE = ("ですか", "ますか", "ている", "どうやって", "どれくらい", "には", "のは")


def test_japanese_question_keeps_content_words() -> None:
    phrases, short, _ = fulltext_terms("Difyのワークスペースでは、メンバーの権限は何段階ですか?")
    assert {"dify", "ワークスペース", "メンバー"} <= set(phrases)
    assert set(short) == {"権限", "段階"}  # 何 (the question word) is dropped


def test_particles_and_inflections_are_dropped_by_part_of_speech() -> None:
    phrases, short, words = fulltext_terms("コンテナがちゃんと動いているかはどうやって確かめる?")
    assert "コンテナ" in phrases
    assert all(not any(noise in t for noise in HIRAGANA_NOISE) for t in phrases + short)
    assert ("確かめる", 1.0) in words and ("動く", 1.0) in words  # dictionary forms


def test_the_verbs_of_compound_particles_are_not_content_words() -> None:
    """について, によって, にとって, において: the verb after the particle says how
    words relate, not what the text is about (a kana verb after a case particle)."""
    for query, kept in (
        ("監査ログの保存期間について", {"監査", "ログ", "保存", "期間"}),
        ("暗号化によって守られるもの", {"暗号", "守る"}),
        ("利用者にとっての利点", {"利用", "利点"}),
        ("会議において決定した規程", {"会議", "決定", "規程"}),
    ):
        _, short, words = fulltext_terms(query)
        found = {w for w, _ in words}
        assert kept <= found | set(short), (query, found)
        assert not found & {"つく", "よる", "とる", "おく", "付く", "因る", "取る", "於く"}
        assert not {"つい", "よっ", "とっ", "おい"} & set(short)
    assert "守る" in index_words("暗号化によって守られる")
    assert "よる" not in index_words("暗号化によって守られる").split()


def test_long_hiragana_words_survive() -> None:
    phrases, _, _ = fulltext_terms("資料をうっかり消してしまった")
    assert "うっかり" in phrases


def test_adjacent_nouns_form_compounds() -> None:
    phrases, short, _ = fulltext_terms("操作ログを切り替えて、空き容量を30日間保存する")
    assert "操作ログ" in phrases  # kanji + katakana
    assert "切り替え" in phrases
    assert "30日間保存" in phrases  # number + counter + noun
    assert "操作" in short and "ログ" in short


def test_verb_endings_do_not_join_the_next_noun() -> None:
    phrases, _, _ = fulltext_terms("エラーを返す特殊デバイス")
    assert not any(p.startswith("返す") for p in phrases)
    assert "デバイス" in phrases


def test_long_compounds_add_their_parts() -> None:
    phrases, short, words = fulltext_terms("社内機密情報流出")
    assert phrases[0] == "社内機密情報流出"
    assert {"社内", "機密", "情報", "流出"} <= set(phrases + short)
    assert ("流出", WEAKER) in words  # a part weighs less than the words asked


def test_normalised_forms_meet_other_spellings() -> None:
    for asked, written in (("附属", "付属"), ("ﾛｸﾞ", "ログ"), ("引越し", "引っ越し")):
        phrases, short, words = fulltext_terms(f"{asked}について")
        assert written in phrases + short
        assert (written, 1.0) in words
        assert index_words(f"{written}の説明") == index_words(f"{asked}の説明")


def test_english_words_offer_a_weaker_japanese_translation() -> None:
    _, _, words = fulltext_terms("How do I install it?")
    assert ("install", 1.0) in words and ("インストール", WEAKER) in words


def test_english_question() -> None:
    phrases, short, _ = fulltext_terms(
        "How can I tell who really uploaded a Debian source package?"
    )
    assert phrases == ["tell", "real", "upload", "debian", "source", "package"]
    assert short == []


def test_english_keeps_dotted_and_slashed_words_whole() -> None:
    phrases, short, _ = fulltext_terms("Is /sbin/init or apt.conf set for TLS 1.2 on su?")
    assert "sbin/init" in phrases and "apt.conf" in phrases and "tls" in phrases
    assert short == ["su"]  # single characters ("1", "2" are part of "1.2") are dropped
    assert "1.2" in phrases


def test_nfkc_and_casefold() -> None:
    phrases, short, _ = fulltext_terms("ＴＬＳ１．２とＨＴＴＰＳの設定")
    assert phrases[:2] == ["tls1.2", "http"]  # the stem still matches "https"
    assert short == ["設定"]


def test_short_terms_are_deduplicated_and_capped() -> None:
    _, short, _ = fulltext_terms(
        "鍵と鍵と鍵、" + "、".join("甲乙丙丁戊己庚辛壬癸") + "、権限、権限"
    )
    assert short[0] == "権限"  # two-character terms come first
    assert len(short) == MAX_SHORT_TERMS
    assert len(set(short)) == len(short)


def test_phrases_are_capped() -> None:
    query = " ".join(f"word{i:03d}" for i in range(50)) + " " + "x" * 100
    phrases, _, _ = fulltext_terms(query)
    assert len(phrases) == MAX_PHRASES
    assert all(len(p) <= MAX_PHRASE_CHARS for p in phrases)


def test_nothing_searchable() -> None:
    assert fulltext_terms("") == ([], [], [])
    assert fulltext_terms("、。!? ですか") == ([], [], [])
    assert fts5_match_expression([]) == ""


def test_match_expression_quotes_and_escapes() -> None:
    assert fts5_match_expression(["abc", 'say "hi"', "ab"]) == '"abc" OR "say ""hi"""'


# ---------------------------------------------------------------- against real FTS5


@pytest.fixture
def fts() -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='trigram')")
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no FTS5 trigram tokenizer")
    rows = [
        "Dify は Owner/Admin/Editor/Member の4階層ロールを実装しています。",
        "操作ログは無償プランで30日間保存されます。",
        "仮想端末は Alt-F1 から Alt-F6 で切り替えられます。",
        "The uploader of a Debian source package is recorded in the signed .dsc file.",
        'A file with "quotes" OR operators AND NEAR(x y) * col:value',
    ]
    connection.executemany("INSERT INTO t(body) VALUES (?)", [(r,) for r in rows])
    yield connection
    connection.close()


def search(connection: sqlite3.Connection, query: str) -> list[int]:
    expression = fts5_match_expression(fulltext_terms(query)[0])
    if not expression:
        return []
    rows = connection.execute(
        "SELECT rowid FROM t WHERE t MATCH ? ORDER BY rank", (expression,)
    ).fetchall()
    return [row[0] for row in rows]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("メンバーの権限ロールは何段階?", 1),
        ("操作ログは何日残る?", 2),
        ("仮想端末はいくつ切り替えて使えますか?", 3),
        ("Who uploaded the Debian source package?", 4),
    ],
)
def test_terms_find_the_passage(fts: sqlite3.Connection, query: str, expected: int) -> None:
    assert search(fts, query)[:1] == [expected]


@pytest.mark.parametrize(
    "query", ['"quotes" OR', "NEAR(x y)", "col:value *", '"', "AND OR NOT", "a\"b'c", "(*)"]
)
def test_hostile_queries_are_safe(fts: sqlite3.Connection, query: str) -> None:
    search(fts, query)  # no sqlite3.OperationalError


@settings(max_examples=200, deadline=None)
@given(query=st.text(max_size=80))
def test_any_query_gives_valid_terms(query: str) -> None:
    phrases, short, _ = fulltext_terms(query)
    assert all(3 <= len(p) <= MAX_PHRASE_CHARS for p in phrases)
    assert all(1 <= len(s) <= 2 for s in short)
    assert len(phrases) <= MAX_PHRASES and len(short) <= MAX_SHORT_TERMS
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='trigram')")
        connection.execute("INSERT INTO t(body) VALUES ('probe text')")
        expression = fts5_match_expression(phrases)
        if expression:
            connection.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,)).fetchall()
    except sqlite3.OperationalError as error:
        if "no such tokenizer" in str(error):
            return
        raise
    finally:
        connection.close()
