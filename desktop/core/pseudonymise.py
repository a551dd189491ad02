"""Pseudonyms for personal data: consistent placeholders, and putting the values back.

A :class:`Pseudonyms` table gives each value one number per type, the first time it is
seen, and keeps it for the whole conversation (or the whole knowledge-base document):
``山田太郎`` is ``〔人名1〕`` in Japanese text and ``<PERSON_1>`` in English text, wherever
it recurs. :func:`mask` writes a text with its entities replaced; :meth:`Pseudonyms.restore`
turns the placeholders a model wrote back into the values; :class:`StreamRestorer` does
the same piece by piece while an answer streams, holding back a placeholder that is
split across pieces until it is whole, so none is ever shown half.

The table itself is personal data: it is stored encrypted with the turn and never
written into a prompt, a trace, an audit payload or a log.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from desktop.core.pii import PiiEntity, PiiType

#: The Japanese name of each type, as its placeholder shows it.
JA_LABELS: dict[PiiType, str] = {
    PiiType.PERSON: "人名",
    PiiType.PHONE_NUMBER: "電話番号",
    PiiType.EMAIL_ADDRESS: "メールアドレス",
    PiiType.MY_NUMBER: "マイナンバー",
    PiiType.CORPORATE_NUMBER: "法人番号",
    PiiType.CREDIT_CARD: "カード番号",
    PiiType.POSTAL_CODE: "郵便番号",
    PiiType.ADDRESS: "住所",
    PiiType.IP_ADDRESS: "IPアドレス",
    PiiType.CUSTOM: "登録語",
}
_BY_JA = {label: kind for kind, label in JA_LABELS.items()}
_JA_TEXT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
_PLACEHOLDER = re.compile(
    "〔(" + "|".join(map(re.escape, _BY_JA)) + r")(\d{1,6})〕"
    "|<(" + "|".join(t.value for t in PiiType) + r")_(\d{1,6})>"
)
#: The longest tail that may still become a placeholder: held back while streaming.
_OPEN_TAIL = re.compile(r"(?:〔[^〕\s]{0,12}|<[A-Z_]{0,24}\d{0,6})\Z")


def is_japanese(text: str) -> bool:
    """Whether ``text`` is written in Japanese (any kana or kanji): its placeholders are."""
    return _JA_TEXT.search(text) is not None


def placeholder(kind: PiiType, number: int, *, japanese: bool) -> str:
    return f"〔{JA_LABELS[kind]}{number}〕" if japanese else f"<{kind.value}_{number}>"


def _key(value: str) -> str:
    """Full-width and half-width forms, and spacing, of one value meet."""
    return " ".join(unicodedata.normalize("NFKC", value).split()).casefold()


@dataclass
class Pseudonyms:
    """(type, value) -> number, per type in the order values were first seen."""

    _numbers: dict[tuple[PiiType, str], int] = field(default_factory=dict)
    _values: dict[tuple[PiiType, int], str] = field(default_factory=dict)
    #: the values masked through this table since it was loaded (not those stored)
    masked: set[tuple[PiiType, int]] = field(default_factory=set)
    #: (values compiled, their pattern, type by casefolded value), built by find
    _known: tuple[int, re.Pattern[str] | None, dict[str, PiiType]] | None = field(
        default=None, repr=False, compare=False
    )

    def number(self, kind: PiiType, value: str) -> int:
        key = (kind, _key(value))
        found = self._numbers.get(key)
        if found is not None:
            return found
        n = 1 + sum(1 for k, _ in self._values if k is kind)
        self._numbers[key] = n
        self._values[(kind, n)] = value
        return n

    def restore(self, text: str) -> str:
        """``text`` with every placeholder this table knows replaced by its value."""

        def value(m: re.Match[str]) -> str:
            if m.group(1) is not None:
                kind, number = _BY_JA[m.group(1)], m.group(2)
            else:
                kind, number = PiiType(m.group(3)), m.group(4)
            return self._values.get((kind, int(number)), m.group(0))

        return _PLACEHOLDER.sub(value, text)

    def values(self) -> list[str]:
        return list(self._values.values())

    def find(self, text: str) -> list[PiiEntity]:
        """Where the values this table holds occur in ``text`` (as written, any case;
        the longest first), as entities of their types: masking a text the detector did
        not read (a turn's answer) by what the turn's detection found."""
        if not self._values:
            return []
        if self._known is None or self._known[0] != len(self._values):
            kinds: dict[str, PiiType] = {}
            for (kind, _), value in self._values.items():
                kinds.setdefault(value.casefold(), kind)
            parts = sorted((v for v in kinds if v.strip()), key=len, reverse=True)
            pattern = re.compile("|".join(map(re.escape, parts)), re.I) if parts else None
            self._known = (len(self._values), pattern, kinds)
        _, pattern, kinds = self._known
        if pattern is None:
            return []
        return [
            PiiEntity(kinds[m.group(0).casefold()], m.start(), m.end(), m.group(0), 1.0)
            for m in pattern.finditer(text)
            if m.group(0).casefold() in kinds
        ]

    def counts(self) -> dict[str, int]:
        """How many distinct values of each type were masked (never the values)."""
        return dict(sorted(Counter(kind.value for kind, _ in self.masked).items()))

    def to_json(self) -> str:
        return json.dumps(
            [[k.value, n, v] for (k, n), v in self._values.items()], ensure_ascii=False
        )

    @classmethod
    def from_json(cls, data: str | None) -> Pseudonyms:
        table = cls()
        for kind, number, value in json.loads(data) if data else ():
            found = PiiType(kind)
            table._values[(found, int(number))] = str(value)
            table._numbers.setdefault((found, _key(str(value))), int(number))
        return table


def merge_entities(*groups: Iterable[PiiEntity]) -> list[PiiEntity]:
    """Entities from several sources (the detector, the workspace's terms), sorted by
    start with overlaps resolved: the longer span wins, then the earlier group."""
    ranked = sorted(
        ((e, g) for g, group in enumerate(groups) for e in group),
        key=lambda eg: (-(eg[0].end - eg[0].start), eg[1], eg[0].start),
    )
    kept: list[PiiEntity] = []
    for entity, _ in ranked:
        if all(entity.end <= k.start or entity.start >= k.end for k in kept):
            kept.append(entity)
    return sorted(kept, key=lambda e: e.start)


def mask(text: str, entities: Sequence[PiiEntity], table: Pseudonyms) -> str:
    """``text`` with each entity replaced by its placeholder (in the text's language)."""
    return mask_with_offsets(text, entities, table)[0]


def mask_with_offsets(
    text: str, entities: Sequence[PiiEntity], table: Pseudonyms
) -> tuple[str, Callable[[int], int]]:
    """The masked text and a map from an offset in ``text`` to one in the masked text
    (an offset inside a value goes to the start of its placeholder)."""
    # the text around the values decides: an English sentence naming 山田太郎 is English
    japanese = is_japanese(_outside(text, entities))
    out: list[str] = []
    spans: list[tuple[int, int, int, int]] = []  # old start, old end, new start, new end
    at, size = 0, 0
    for e in entities:
        if e.start < at or e.end > len(text) or e.end <= e.start:
            continue
        out.append(text[at : e.start])
        size += e.start - at
        number = table.number(e.type, text[e.start : e.end])
        table.masked.add((e.type, number))
        label = placeholder(e.type, number, japanese=japanese)
        spans.append((e.start, e.end, size, size + len(label)))
        out.append(label)
        size += len(label)
        at = e.end
    out.append(text[at:])

    def offset(old: int) -> int:
        shift = 0
        for start, end, new_start, new_end in spans:
            if old < end:
                return old + shift if old <= start else new_start
            shift = new_end - end
        return old + shift

    return "".join(out), offset


def _outside(text: str, entities: Sequence[PiiEntity]) -> str:
    parts, at = [], 0
    for e in entities:
        parts.append(text[at : max(at, e.start)])
        at = max(at, e.end)
    parts.append(text[at:])
    return "".join(parts)


class StreamRestorer:
    """Restores placeholders in an answer as it streams: each piece goes to ``sink``
    with its placeholders replaced, and a tail that may be the start of one is held
    back until the next piece completes or refutes it (:meth:`flush` at the end)."""

    def __init__(self, table: Pseudonyms, sink: Callable[[str], None]) -> None:
        self._table, self._sink, self._held = table, sink, ""

    def __call__(self, piece: str) -> None:
        text = self._held + piece
        tail = _OPEN_TAIL.search(text)
        cut = tail.start() if tail is not None else len(text)
        self._held = text[cut:]
        if cut:
            self._sink(self._table.restore(text[:cut]))

    def flush(self) -> None:
        if self._held:
            held, self._held = self._held, ""
            self._sink(self._table.restore(held))
