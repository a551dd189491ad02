"""Personal data: the detector starts in its own model host from this build (GiNZA's
model, Presidio's recognizers, tldextract's bundled suffix list, the name lists) and
finds the values of a fixed sentence, offline."""

from __future__ import annotations

from desktop import app
from desktop.core.pii import PiiType
from desktop.diagnostics.common import StepFailed, StepOutcome

#: An invented person, a My Number whose check digit holds, an e-mail address.
SAMPLE = "山田太郎さんのマイナンバーは123456789018です。連絡は taro.yamada@example.jp まで。"
EXPECTED = {
    PiiType.PERSON: "山田太郎",
    PiiType.MY_NUMBER: "123456789018",
    PiiType.EMAIL_ADDRESS: "taro.yamada@example.jp",
}


def personal_data_step(ws: app.Workspace) -> StepOutcome:
    """Self-test: the workspace's detector finds each value of :data:`SAMPLE`."""
    detector = ws.pii_detector
    if detector is None:
        raise StepFailed("this build has no personal-data detector")
    (found,) = detector.detect([SAMPLE])
    seen = {entity.type: entity.text for entity in found}
    missed = [f"{kind.value} {text!r}" for kind, text in EXPECTED.items() if seen.get(kind) != text]
    if missed:
        raise StepFailed(f"the detector missed {', '.join(missed)} (found {seen})")
    return (
        f"{len(found)} values found in a Japanese sentence ({', '.join(sorted(seen))})",
        {"found": sorted(seen)},
    )
