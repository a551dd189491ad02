"""``kura conversations regenerate`` on an exhaustive turn, end to end: real CLI, real
keyring, real embedder, real demo GGUF. The regenerated answer reads every document
again (its batches shown on stderr, counted in the stored turn), unless
``--no-exhaustive`` says to answer from the best passages.

The 270M demo model may miss items or copy them imperfectly, so what is asserted is the
mode (every batch read again, its progress shown) and that each citation it keeps points
at a passage of the knowledge base, not the items it finds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.integration.cli_support import Kura, require_secret_service

pytestmark = [pytest.mark.keyring, pytest.mark.slow]
PW = "correct horse battery staple"
THINGS = ("pump", "valve", "fan", "filter")


def _run(k: Kura, *args: str):  # type: ignore[no-untyped-def]
    return k(*args, "--user", "owner", "--password-stdin", stdin=PW + "\n")


@pytest.fixture
def kura(tmp_path: Path, demo_model_path: Path) -> Kura:
    require_secret_service()
    k = Kura(tmp_path / "ws", tmp_path / "tmp")
    k.init("owner", PW)
    assert _run(k, "kb", "create", "--name", "spares", "--visibility", "all").code == 0
    folder = tmp_path / "in"
    folder.mkdir()
    for hall in range(3):
        lines = [
            f"The spare part for the {thing} in hall {hall} is KX-{hall:02d}{i:02d}."
            for i, thing in enumerate(THINGS)
        ]
        (folder / f"hall-{hall}.txt").write_text("\n".join(lines), encoding="utf-8")
    res = _run(k, "kb", "add", "spares", str(folder), "--json")
    assert res.code == 0, res.err
    assert (
        _run(k, "models", "add", str(demo_model_path), "--name", "demo", "--ctx", "512").code == 0
    )
    res = _run(k, "apps", "create", "--name", "parts", "--model", "demo", "--kb", "1",
               "--param", "max_tokens=96", "--param", "temperature=0")  # fmt: skip
    assert res.code == 0, res.err
    return k


def _last_turn(k: Kura, conv: str) -> dict[str, Any]:
    shown = _run(k, "conversations", "show", conv, "--json")
    assert shown.code == 0, shown.err
    turns: list[dict[str, Any]] = shown.json()["turns"]
    return turns[-1]


def test_cli_regenerates_an_exhaustive_turn_exhaustively_or_as_told(kura: Kura) -> None:
    asked = _run(kura, "chat", "parts", "--message", "List every spare part code.",
                 "--exhaustive", "--json")  # fmt: skip
    assert asked.code == 0, asked.err
    conv = str(asked.json()["conversation_id"])
    batches = int(asked.json()["timings"]["batches"])
    assert batches >= 1

    again = _run(kura, "conversations", "regenerate", conv)  # the mode it was asked in

    assert again.code == 0, again.err
    shown = [line for line in again.err_lines if "reading every document" in line]
    assert shown == [
        f"reading every document: batch {n} of {batches}" for n in range(1, batches + 1)
    ]
    turn = _last_turn(kura, conv)
    assert turn["timings"]["batches"] == batches
    for cited in turn["citations"]:  # each item's passage, in the knowledge base
        assert cited["document"].startswith("hall-"), cited

    plain = _run(kura, "conversations", "regenerate", conv, "--no-exhaustive", "--json")
    assert plain.code == 0, plain.err
    assert "batches" not in plain.json()["timings"]
    assert not [line for line in plain.err_lines if "reading every document" in line]
