"""Added time per chat turn from masking and restoring alone (not detection).

A 500-character Japanese message and 4 retrieved passages of about 600 characters go
through :class:`~desktop.core.services.chat_privacy.TurnPrivacy` under both policies:
the prompt's texts masked, the texts the log keeps masked, an answer streamed in
2-character pieces with its placeholders restored, and the table serialised for
storage. The detector returns precomputed entities (4 in the message, 3 per passage,
as a real one finds in such text), so the figure is the core's own cost; the real
detector's round trip is measured with the detector. Prints median and p95 of warm runs.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from pathlib import Path

from desktop.core.pii import PiiEntity
from desktop.core.privacy import Defaults, Term
from desktop.core.services.chat_privacy import PrivacyPlan, TurnPrivacy
from desktop.core.tasks import CancelToken
from tests.fakes_pii import FakePiiDetector

RUNS = 300
FILLER = "ポンプの再起動は圧力を下げてから行い、点検記録に結果を残します。"


def _message() -> str:
    head = "山田太郎さん（03-1234-5678、taro@example.co.jp）と佐藤花子さんの件です。"
    text = head + FILLER * 20
    return text[:500]


def _passages() -> list[str]:
    out = []
    for n in range(4):
        head = f"[{n + 1}] 担当: 鈴木一郎 / 連絡先 06-5555-{1000 + n} / 番号 12345678901{n} "
        out.append((head + FILLER * 20)[:600])
    return out


class PrecomputedDetector:
    """Answers from a table filled once by the fake detector: no detection cost."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._fallback = FakePiiDetector()
        self._known = dict(zip(texts, self._fallback.detect(list(texts)), strict=True))

    def detect(
        self, texts: Sequence[str], cancel: CancelToken | None = None
    ) -> list[list[PiiEntity]]:
        return [
            self._known[t] if t in self._known else self._fallback.detect([t])[0] for t in texts
        ]


def test_masking_and_restoring_cost_per_chat_turn() -> None:
    message, passages = _message(), _passages()
    system = "あなたは保守担当のアシスタントです。\n\n" + "\n".join(passages)
    answer = "〔人名1〕さんへ: 〔電話番号1〕に連絡し、手順 [1] に従ってください。" * 6
    title = " ".join(message.split())[:80]
    detector = PrecomputedDetector([system, message, title])
    counts = [len(e) for e in FakePiiDetector().detect([message, *passages])]
    plan = PrivacyPlan(Defaults(minimise_logs=True, pseudonymise=True), (Term("CUST-001"),))
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        privacy = TurnPrivacy(plan, detector, CancelToken())
        privacy.prompt(system, [], message, [title])
        shown: list[str] = []
        sink = privacy.sink(shown.append)
        assert sink is not None
        for i in range(0, len(answer), 2):
            sink(answer[i : i + 2])
        restored = privacy.finish(answer)
        privacy.log(restored)
        privacy.log(message)
        privacy.table.to_json()
        times.append((time.perf_counter() - start) * 1000)
    assert "鈴木一郎" in restored and "".join(shown) == restored
    times.sort()
    print(
        f"\npseudonymise + minimise, {len(message)}-char message + {len(passages)} passages "
        f"(entities {counts}), answer {len(answer)} chars in 2-char pieces: "
        f"median {statistics.median(times):.2f} ms, p95 {times[int(RUNS * 0.95)]:.2f} ms "
        f"per turn ({RUNS} warm runs; detection not included)"
    )


def test_ingestion_time_with_redaction_on_over_off(tmp_path: Path) -> None:
    """The same 40 documents of about 6,000 characters into two knowledge bases, one
    redacting; a hash embedder and the rule-based fake detector, so the ratio is the
    core's masking cost (the real detector's time is measured with the detector)."""
    from desktop import app
    from desktop.core.knowledge_models import KbSettings
    from tests.conftest import PEOPLE_PASSWORD
    from tests.fakes import FakeChatModel, FakeInspector, FixedClock, MemoryKeyStore, MemorySource
    from tests.fakes_retrieval import HashEmbedder
    from tests.tools import fake_workspace

    engines = app.Engines(
        FakeInspector(),
        FakeChatModel(),
        embedder_factory=lambda _: HashEmbedder(64),
        pii_detector=FakePiiDetector(),
    )
    docs = [MemorySource(f"d{n}.txt", (_passages()[n % 4] * 10).encode()) for n in range(40)]
    with fake_workspace(
        tmp_path / "w", MemoryKeyStore(), FixedClock(), engines, owner_password=PEOPLE_PASSWORD
    ) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        seconds = {}
        for redact in (False, True, False, True):  # interleaved, the second pair counts
            kb = ws.knowledge.create(
                owner, f"kb-{redact}-{len(seconds)}", settings=KbSettings(redact_pii=redact)
            )
            start = time.perf_counter()
            ws.knowledge.ingest(owner, kb.id, docs)
            seconds[redact] = time.perf_counter() - start
    print(
        f"\ningestion of 40 x 6,000-char documents: redaction off {seconds[False]:.2f} s, "
        f"on {seconds[True]:.2f} s, ratio {seconds[True] / seconds[False]:.2f} "
        "(fake detector; hash embedder)"
    )
