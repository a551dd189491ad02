"""The shipped verifier on pseudonymised records: what it accepts, counts and refuses,
and --check-value from its command line (bundles built and signed with test keys)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.core.bundle_pseudonyms import Pseudonymiser, pii_opening
from desktop.core.errors import AuditChainBroken
from desktop.verifier import bundle_verify as bv
from tests.fakes_pii import FakePiiDetector
from tests.unit.test_bundle import chain, extract, full, make, signers_for, unzip

KEY = bytes(range(7, 39))


def _records() -> list[dict[str, Any]]:
    events = chain(4, edit=lambda seq: {"text": f"{seq}: 山田太郎 called about 123456789018"})
    return Pseudonymiser(FakePiiDetector(), KEY).records(full(events))


def test_pseudonymised_records_verify_and_are_counted() -> None:
    data = make(_records())
    report = bv.verify_bundle_bytes(data, allowed_signers=signers_for(bytes(range(32))))
    assert report.verified, report.reason
    assert report.facts["pseudonymised"] == 4 and "4 pseudonymised" in report.summary()
    assert "山田太郎" not in unzip(data)["events.jsonl"].decode("utf-8")


@pytest.mark.parametrize(
    "forge",
    [
        lambda r: r["pseudonyms"].update({k: "f" * 64 for k in r["pseudonyms"]}),  # wrong digits
        lambda r: r["pseudonyms"].update({"<PERSON:0123abcd>": "0123abcd" + "0" * 56}),  # unused
        lambda r: r["pseudonyms"].clear(),  # a marker without pseudonyms
        lambda r: r.update(payload=None),  # a tombstone cannot carry a view
        lambda r: r.update(pseudonyms={"PERSON:1": "0" * 64}),  # not a placeholder
    ],
)
def test_malformed_pseudonyms_are_refused(forge: Any) -> None:
    records = _records()
    forge(records[1])
    with pytest.raises(AuditChainBroken, match=r"pseudonym|placeholder"):
        make(records)


def test_the_standalone_verifier_checks_a_disclosed_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = extract(make(_records()), tmp_path / "x")
    pinned = tmp_path / "allowed_signers"
    pinned.write_text(signers_for(bytes(range(32))))
    opening = pii_opening(KEY, "MY_NUMBER", "123456789018").hex()
    base = [str(folder), "--allowed-signers", str(pinned), "--check-value", "MY_NUMBER"]
    assert bv.main([*base, "123456789018", opening]) == 0
    assert "VALUE MATCHES: that MY_NUMBER value is <MY_NUMBER:" in capsys.readouterr().out
    assert bv.main([*base, "123456789017", opening]) == 1
    assert "VALUE DOES NOT MATCH" in capsys.readouterr().out
    assert bv.main([*base, "123456789018", "zz"]) == 1
    assert "is not an opening" in capsys.readouterr().out
