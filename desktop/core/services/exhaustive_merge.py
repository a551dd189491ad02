"""Merging the partial answers of an exhaustive turn (:mod:`.exhaustive`).

Each batch answers with items, one per line, citing the passage each came from as [n].
An item's citation is that passage; an item without a usable marker is cited to the
passage of its batch that holds its words, when one does. Items are folded together when
their words match after Unicode normalisation (NFKC), case folding and dropping spaces
and punctuation; a folded item keeps the citations of every copy. The answer numbers the
cited passages [1], [2] … in the order items first cite them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop.core.knowledge_models import StoredChunk

_BULLET = re.compile(r"^\s*(?:[-*•・‐–—]|\d{1,3}[.)．、）])\s*")
_MARKER = re.compile(r"\[(\d{1,4})\]")
_NOTHING = {"none", "なし", "ない", "該当なし", "ありません", "nothing", "noitems"}


def fold(text: str) -> str:
    """The words of ``text`` with case, width, spaces and punctuation folded away."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True, slots=True)
class Found:
    """One item as one batch gave it, with the passages (of that batch) it cites."""

    text: str
    chunks: tuple[StoredChunk, ...]


def parse_items(output: str, batch: Sequence[StoredChunk]) -> list[Found]:
    """The items of one batch's answer. Lines with a bullet or a marker are items; when
    no line has either, every non-empty line that does not end in a colon is."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    marked = [ln for ln in lines if _BULLET.match(ln) or _MARKER.search(ln)]
    candidates = marked or [ln for ln in lines if not ln.endswith((":", "："))]
    found: list[Found] = []
    for line in candidates:
        markers = [int(m) for m in _MARKER.findall(line)]
        text = _MARKER.sub("", _BULLET.sub("", line, count=1)).strip(" \t:：,、.。;")
        if not fold(text) or fold(text) in _NOTHING:
            continue
        cited = [batch[m - 1] for m in markers if 1 <= m <= len(batch)]
        if not cited:
            words = fold(text)
            cited = [c for c in batch if words in fold(c.text)][:1]
        found.append(Found(text, tuple(dict.fromkeys(cited))))
    return found


@dataclass(slots=True)
class Item:
    text: str
    chunks: list[StoredChunk]
    batches: list[int] = field(default_factory=list)


class Merge:
    """The items found so far, in the order first found, with their citations."""

    def __init__(self) -> None:
        self.items: dict[str, Item] = {}
        self._markers: dict[tuple[int, str, int, int], int] = {}
        self._chunks: list[StoredChunk] = []

    def add(self, found: Sequence[Found], batch: int) -> list[Item]:
        """Fold ``found`` in; returns the items that are new."""
        new: list[Item] = []
        seen: list[Item] = []  # items found before that cite another passage now
        for f in found:
            key = fold(f.text)
            item = self.items.get(key)
            if item is None:
                item = self.items[key] = Item(f.text, [])
                new.append(item)
            for chunk in f.chunks:
                if chunk not in item.chunks:
                    item.chunks.append(chunk)
                    if item not in new:
                        seen.append(item)
            if batch not in item.batches:
                item.batches.append(batch)
        # markers in the order items first cite passages; a passage that an item found
        # before cites now gets its marker here too, so that citations() lists it
        for item in [*new, *seen]:
            for chunk in item.chunks:
                self._marker(chunk)
        return new

    def _marker(self, chunk: StoredChunk) -> int:
        where = (chunk.kb_id, chunk.document, chunk.version, chunk.index)
        if where not in self._markers:
            self._chunks.append(chunk)
            self._markers[where] = len(self._chunks)
        return self._markers[where]

    def line(self, item: Item) -> str:
        cites = "".join(f"[{self._marker(c)}]" for c in item.chunks)
        return f"- {item.text} {cites}".rstrip() + "\n"

    def lines(self, items: Sequence[Item]) -> list[str]:
        return [self.line(item) for item in items]

    def answer(self) -> str:
        return "".join(self.line(item) for item in self.items.values()).rstrip("\n")

    def citations(self) -> list[dict[str, Any]]:
        """What the turn stores: every passage an item cites, by marker."""
        return [
            {
                "marker": n,
                "cited": True,
                "kb_id": c.kb_id,
                "document": c.document,
                "version": c.version,
                "chunk": c.index,
                "span": [c.start, c.end],
                "score": 1.0,
                "scores": {},
            }
            for n, c in enumerate(self._chunks, 1)
        ]
