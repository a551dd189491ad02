"""Redact at ingestion: a knowledge base's documents masked before they are chunked.

With ``KbSettings.redact_pii`` on, a parsed document's text has its personal data (the
detector's and the workspace's terms) replaced by placeholders, numbered consistently
within the document, before chunking, embedding and indexing: search, citations and
the stored text show only placeholders. Section offsets follow the shorter or longer
text. The pseudonym table is not kept: nothing can put the values back. The original
file is stored only where the knowledge base says so (``keep_original``).
"""

from __future__ import annotations

from dataclasses import replace

from desktop.core import privacy
from desktop.core.knowledge_models import ParsedDocument, Section
from desktop.core.ports.pii import PiiDetector
from desktop.core.pseudonymise import Pseudonyms, mask_with_offsets, merge_entities
from desktop.core.tasks import CancelToken


class Redactor:
    """Masks documents with one detector and the workspace's terms."""

    def __init__(
        self, detector: PiiDetector, terms: tuple[privacy.Term, ...], cancel: CancelToken
    ) -> None:
        self._detector, self._terms, self._cancel = detector, privacy.TermMatcher(terms), cancel

    def redact(self, doc: ParsedDocument) -> ParsedDocument:
        """The document with its text and headings masked (one table, one detector call:
        a heading is prefixed to its chunks, so it is masked like the text)."""
        texts = [doc.text, *(s.heading for s in doc.sections)]
        found = self._detector.detect(texts, self._cancel)
        table = Pseudonyms()
        masked = [
            mask_with_offsets(t, merge_entities(self._terms.find(t), f), table)
            for t, f in zip(texts, found, strict=True)
        ]
        text, offset = masked[0]
        sections = tuple(
            Section(heading, offset(s.start), max(offset(s.start), offset(s.end)))
            for s, (heading, _) in zip(doc.sections, masked[1:], strict=True)
        )
        return replace(doc, text=text, sections=sections)
