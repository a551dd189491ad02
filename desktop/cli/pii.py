"""``kura pii detect [--json]``: the personal data in the text on standard input.

Needs no workspace: the detector (Presidio + GiNZA) runs in a model host of its own.
``--json`` prints ``{"entities": [{"type", "start", "end", "text", "score"}]}``, offsets
in Python ``str`` characters of the input as read (UTF-8, a leading BOM dropped).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, BinaryIO

from desktop import app
from desktop.cli.io import emit
from desktop.core.errors import InputError
from desktop.core.pii import PiiEntity

#: The most text one call reads (a bigger input is refused, not cut).
MAX_INPUT_BYTES = 8 * 1024 * 1024


def read_text(stream: BinaryIO) -> str:
    """Standard input as text: UTF-8 or the one-line error that says so."""
    data = stream.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise InputError("cli.pii_input_too_large", limit_mib=MAX_INPUT_BYTES // (1024 * 1024))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("cli.pii_input_not_utf8", offset=exc.start) from None


def entity_dict(entity: PiiEntity) -> dict[str, Any]:
    return {
        "type": entity.type.value,
        "start": entity.start,
        "end": entity.end,
        "text": entity.text,
        "score": entity.score,
    }


def table(entities: list[PiiEntity]) -> str:
    if not entities:
        return "-"
    rows = [f"{'TYPE':<17} {'START':>6} {'END':>6} {'SCORE':>5}  TEXT"]
    for e in entities:
        shown = e.text.replace("\n", " ")
        rows.append(f"{e.type.value:<17} {e.start:>6} {e.end:>6} {e.score:>5.2f}  {shown}")
    return "\n".join(rows)


def _detect(args: argparse.Namespace) -> int:
    text = read_text(sys.stdin.buffer)
    with app.pii_detector() as detector:
        entities = detector.detect([text])[0] if text else []
    emit(args, {"entities": [entity_dict(e) for e in entities]}, table(entities))
    return 0


def register(sub: Any) -> None:
    pii = sub.add_parser("pii", help="personal data: find it in text (needs no workspace)")
    psub = pii.add_subparsers(dest="pii_cmd", metavar="ACTION", required=True)
    p = psub.add_parser("detect", help="list the personal data in the text on standard input")
    p.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    p.set_defaults(handler=_detect)
