"""Try retrieval on a knowledge base: the passages a query finds, how each was found in
words ("matched words", "similar meaning", "both"), and the scores behind it on demand
("Show scores", or the tooltip)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.knowledge_models import RetrievalMode, SearchHit
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.knowledge.passage_text import plain_passage
from desktop.ui.knowledge.widgets import Panel
from desktop.ui.plain import PlainLabel, plain_tip
from desktop.ui.tasks import Lane
from desktop.ui.widgets import primary_button

SNIPPET_CHARS = 220
# Below this share of readable letters the language note is shown.
LANGUAGE_FIT_FLOOR = 0.5


def score_parts(scores: dict[str, float]) -> str:
    """Each method's score, with its rank when fusion gave one: "vector 0.812 (#2)"."""
    parts = []
    for name in sorted(k for k in scores if not k.endswith("_rank")):
        rank = scores.get(f"{name}_rank")
        text = f"{name} {scores[name]:.3f}"
        parts.append(f"{text} (#{int(rank)})" if rank is not None else text)
    return "\n".join(parts)


def found_by(scores: dict[str, float]) -> str:
    """How a passage was found: ``words`` (full text), ``meaning`` (vector) or ``both``."""
    words, meaning = "fulltext" in scores, "vector" in scores
    if words and meaning:
        return "both"
    return "words" if words else "meaning" if meaning else ""


def snippet(text: str) -> str:
    flat = " ".join(plain_passage(text).split())
    return flat if len(flat) <= SNIPPET_CHARS else flat[: SNIPPET_CHARS - 1] + "…"


class SearchTesterPanel(Panel):
    """Query, mode and k in; score, per-method scores, document and snippet out."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.kb_id: int | None = None
        self.hits: list[SearchHit] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addLayout(self._build_controls())
        self.message = InlineMessage(self)
        layout.addWidget(self.message)
        self.language_note = PlainLabel(
            self.tr(
                "The embedding model does not read the language of most of these documents, "
                "so similar-meaning search misses them: choose a multilingual embedding model "
                "in this knowledge base's settings. Matched-words search still works."
            ),
            self,
        )
        self.language_note.setObjectName("languageNote")
        self.language_note.setWordWrap(True)
        self.language_note.hide()
        layout.addWidget(self.language_note)
        layout.addWidget(self._build_table(), 1)
        self.hint = PlainLabel(
            self.tr(
                "Found by: matched words (the query's words are in the passage), similar "
                "meaning (the embedding model finds it close), or both. Show scores for the "
                "numbers."
            ),
            self,
        )
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.query.returnPressed.connect(self._on_search_clicked)
        self.search_button.clicked.connect(self._on_search_clicked)

    def _build_controls(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.query = QLineEdit(self)
        self.query.setObjectName("searchQuery")
        self.query.setPlaceholderText(self.tr("Ask something the documents should answer"))
        self.mode = QComboBox(self)
        self.mode.setObjectName("searchMode")
        self.mode.addItem(self.tr("Default mode"), None)
        for mode, label in (
            (RetrievalMode.HYBRID, self.tr("Hybrid")),
            (RetrievalMode.FULLTEXT, self.tr("Full text")),
            (RetrievalMode.VECTOR, self.tr("Vector")),
        ):
            self.mode.addItem(label, mode.value)
        self.k = QSpinBox(self)
        self.k.setObjectName("searchK")
        self.k.setRange(1, 50)
        self.k.setValue(5)
        self.k.setPrefix(self.tr("top "))
        self.search_button = primary_button(self.tr("Search"), "searchButton", self)
        self.show_scores = QCheckBox(self.tr("Show scores"), self)
        self.show_scores.setObjectName("showScores")
        self.show_scores.toggled.connect(self._on_show_scores_toggled)
        row.addWidget(self.query, 1)
        row.addWidget(self.mode)
        row.addWidget(self.k)
        row.addWidget(self.search_button)
        row.addWidget(self.show_scores)
        return row

    def _build_table(self) -> QTableWidget:
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("searchResults")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Found by"),
                self.tr("Document"),
                self.tr("Score"),
                self.tr("Scores"),
                self.tr("Passage"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self._on_show_scores_toggled(False)
        return self.table

    def _on_show_scores_toggled(self, shown: bool) -> None:
        for column in (2, 3):
            self.table.setColumnHidden(column, not shown)
        self.table.resizeRowsToContents()

    def _found_words(self, scores: dict[str, float]) -> str:
        return {
            "words": self.tr("Matched words"),
            "meaning": self.tr("Similar meaning"),
            "both": self.tr("Both"),
        }.get(found_by(scores), "")

    def set_kb(self, kb_id: int | None) -> None:
        if kb_id != self.kb_id:
            self.table.setRowCount(0)
            self.message.clear_message()
            self.language_note.hide()
            if kb_id is not None:
                actor = self.ctx.actor()
                self.run(
                    Lane.DB,
                    lambda lc: lc.ws.knowledge.language_fit(actor, kb_id),
                    key="language",
                    on_done=lambda share: self.language_note.setVisible(share < LANGUAGE_FIT_FLOOR),
                    on_failed=lambda _exc: self.language_note.hide(),
                )
        self.kb_id = kb_id
        self.search_button.setEnabled(kb_id is not None)

    def _on_search_clicked(self) -> None:
        query = self.query.text().strip()
        if self.kb_id is None:
            return
        if not query:
            self.message.show_error(self.tr("Type a query to search for."))
            return
        self.message.clear_message()
        actor, kb_id, k = self.ctx.actor(), self.kb_id, self.k.value()
        mode_value = self.mode.currentData()
        mode = RetrievalMode(mode_value) if mode_value else None
        self.search_button.setEnabled(False)
        self.run(
            Lane.DB,
            lambda lc: lc.ws.knowledge.search(actor, kb_id, query, k=k, mode=mode),
            key="search",
            on_done=self._show,
            on_failed=self.message.show_error,
            on_finally=lambda: self.search_button.setEnabled(self.kb_id is not None),
        )

    def _show(self, hits: list[SearchHit]) -> None:
        self.hits = hits
        self.table.setRowCount(0)
        for hit in hits:
            row = self.table.rowCount()
            self.table.insertRow(row)
            parts = score_parts(hit.scores)
            doc = self.tr("{name} v{version} #{chunk}").format(
                name=hit.chunk.document, version=hit.chunk.version, chunk=hit.chunk.index + 1
            )
            score = f"{hit.score:.3f}"
            words = self._found_words(hit.scores)
            for column, text in enumerate((words, doc, score, parts, snippet(hit.chunk.text))):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setToolTip(plain_tip(f"{score}\n{parts}"))
                if column == 4:
                    item.setToolTip(plain_tip(plain_passage(hit.chunk.text[:2000])))
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        if not hits:
            self.message.show_info(self.tr("No passages matched this query."))
