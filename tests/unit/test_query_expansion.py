"""Query expansion: synonyms from Sudachi's synonym dictionary and English <-> Japanese
from JMdict, weighted below the words as asked, and found through the service's search.

The dictionaries are installed by ``make`` (the synonym table and the JMdict table into
the virtual environment); these tests need them.
"""

from __future__ import annotations

from desktop import app
from desktop.core.knowledge_models import KbVisibility, RetrievalMode
from desktop.core.models import Actor
from desktop.retrieval import expansion
from desktop.retrieval.query import SYNONYM, TRANSLATION, WEAKER, fulltext_terms
from tests.fakes import MemorySource


def _weights(query: str) -> dict[str, float]:
    return dict(fulltext_terms(query)[2])


def test_synonyms_of_a_query_noun_come_from_its_group_below_exact_terms() -> None:
    weights = _weights("閉店の時間")
    assert weights["閉店"] == 1.0
    assert weights["店仕舞い"] == SYNONYM and weights["クローズ"] == SYNONYM
    assert SYNONYM < WEAKER < 1.0


def test_an_english_word_gets_japanese_headwords_from_jmdict() -> None:
    assert expansion.to_japanese("image")[0] == "画像"
    weights = _weights("Where is the image stored?")
    assert weights["image"] == 1.0 and weights["画像"] == TRANSLATION


def test_a_japanese_word_gets_english_glosses_from_jmdict() -> None:
    assert "image" in expansion.to_english("画像")
    assert _weights("画像の保存先")["image"] == TRANSLATION


def test_expansions_are_capped_per_word_and_skip_numbers() -> None:
    assert len(expansion.synonyms("閉店")) <= expansion.MAX_SYNONYMS
    assert len(expansion.to_japanese("image")) <= expansion.MAX_TRANSLATIONS
    assert not {t for t, w in fulltext_terms("30日")[2] if w < WEAKER}


def test_dictionaries_are_opened_read_only() -> None:
    for path in (expansion.SYNONYMS_FILE, expansion.JMDICT_FILE):
        assert path.is_file()
    for db in (expansion._synonyms_db(), expansion._jmdict_db()):
        assert db is not None
        try:
            db.execute("CREATE TABLE kura_probe (x)")
        except Exception as error:  # sqlite3.OperationalError: read-only
            assert "readonly" in str(error).replace("-", "").lower()
        else:
            raise AssertionError("a dictionary was opened writable")


def _kb(ws: app.Workspace, ada: Actor, files: dict[str, str]) -> int:
    kb = ws.knowledge.create(ada, "docs", visibility=KbVisibility.ALL)
    sources = [MemorySource(name, text.encode("utf-8")) for name, text in files.items()]
    assert not ws.knowledge.ingest(ada, kb.id, sources).failed
    return kb.id


def _found(ws: app.Workspace, actor: Actor, kb_id: int, query: str) -> list[str]:
    hits = ws.knowledge.search(actor, kb_id, query, mode=RetrievalMode.FULLTEXT)
    return [h.chunk.document for h in hits]


def test_a_query_word_finds_a_chunk_written_with_its_synonym(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    kb_id = _kb(
        ws,
        people["ada"],
        {
            "shop.txt": "本店は毎日午後八時に店仕舞いします。",
            "tea.txt": "緑茶は日本で広く飲まれている。",
        },
    )
    assert _found(ws, people["mo"], kb_id, "閉店") == ["shop.txt"]


def test_an_english_question_finds_japanese_text_through_jmdict(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    kb_id = _kb(
        ws,
        people["ada"],
        {
            "photo.txt": "アップロードした画像は暗号化して保存されます。",
            "tea.txt": "緑茶は日本で広く飲まれている。",
        },
    )
    assert _found(ws, people["mo"], kb_id, "Where are my images kept?") == ["photo.txt"]
