"""Personal-data detection: dev-set recall and precision per type, and what detection
costs in the model host (load time, resident memory, warm latency of one chat turn's
worth of text: a 500-character message and 4 passages of about 500 characters).

Run: ``pytest tests/benchmarks/test_pii_bench.py -s``. Prints figures, asserts none."""

from __future__ import annotations

import statistics
import time
from importlib.util import find_spec

import pytest

from tests.pii_support import PII_DEV, load_dev, score, table

pytestmark = [pytest.mark.slow]

if find_spec("ginza") is None or find_spec("presidio_analyzer") is None:
    pytest.skip("GiNZA and presidio-analyzer are not installed", allow_module_level=True)

_SENTENCES = [
    "先日の打ち合わせでは、営業部の森田真由美さんから新製品の導入時期について説明がありました。",
    "見積書は来週中に送付します。ご不明な点は03-6812-4470までお問い合わせください。",
    "Please send the signed contract to Daniel Whitmore at d.whitmore@example.com by Friday.",
    "配送先は〒460-0008 愛知県名古屋市中区栄三丁目5番12号、担当は加藤様です。",
    "第3四半期の売上は前年同期比で12%増加し、在庫回転率も改善しました。",
    "システムの保守契約は年度末に更新予定で、費用は前年と同額の見込みです。",
]


def _text(chars: int, offset: int) -> str:
    out = ""
    i = offset
    while len(out) < chars:
        out += _SENTENCES[i % len(_SENTENCES)]
        i += 1
    return out[:chars]


def test_pii_dev_set_per_type_figures() -> None:
    if not PII_DEV.is_file():
        pytest.skip(f"no dev set at ../shared/eval beside the repository ({PII_DEV})")
    from desktop.pii.detector import PresidioPiiDetector

    detector = PresidioPiiDetector()
    rows = load_dev()
    scores = score(
        rows,
        lambda texts: [[(e.type.value, e.start, e.end) for e in d] for d in detector.detect(texts)],
    )
    print(f"\npersonal-data dev set ({len(rows)} sentences)\n{table(scores)}")


def test_pii_model_host_load_memory_and_warm_turn_latency() -> None:
    from desktop import app

    turn = [_text(500, 0)] + [_text(500, k + 1) for k in range(4)]
    with app.pii_detector() as detector:
        start = time.perf_counter()
        detector.detect(["warm-up"])  # starts the host and loads GiNZA + Presidio
        load_s = time.perf_counter() - start
        rss = detector.host.request("info")[0]["rss_bytes"]
        detector.detect(turn)
        runs = []
        for _ in range(10):
            start = time.perf_counter()
            found = detector.detect(turn)
            runs.append((time.perf_counter() - start) * 1000)
        message_only = []
        for _ in range(10):
            start = time.perf_counter()
            detector.detect(turn[:1])
            message_only.append((time.perf_counter() - start) * 1000)
    print(
        f"\npii model host: first call (start + load) {load_s:.1f} s, "
        f"resident {rss / 2**20:.0f} MiB\n"
        f"warm turn (500-char message + 4 x 500-char passages, one request): "
        f"median {statistics.median(runs):.0f} ms, min {min(runs):.0f} ms, "
        f"max {max(runs):.0f} ms; message alone median {statistics.median(message_only):.0f} ms; "
        f"{sum(len(f) for f in found)} findings"
    )


@pytest.mark.parametrize("ner", [False, True], ids=["dictionary-names", "ginza-ner"])
def test_pii_in_process_turn_cost(ner: bool) -> None:
    """Wall and CPU time of one turn's detection in this process (CPU time shows the cost
    on a loaded machine better than the wall clock does)."""
    from desktop.pii.detector import PresidioPiiDetector

    start = time.perf_counter()
    detector = PresidioPiiDetector(ner=ner)
    load_s = time.perf_counter() - start
    turn = [_text(500, 0)] + [_text(500, k + 1) for k in range(4)]
    detector.detect(turn)
    walls, cpus = [], []
    for _ in range(5):
        wall, cpu = time.perf_counter(), time.process_time()
        detector.detect(turn)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    print(
        f"\npii in process ({'GiNZA NER + ' if ner else ''}dictionary names): load {load_s:.1f} s; "
        f"turn (5 x 500 chars) wall median {statistics.median(walls):.0f} ms, "
        f"CPU median {statistics.median(cpus):.0f} ms"
    )
