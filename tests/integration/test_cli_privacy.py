"""``kura privacy`` end to end: the workspace default and terms, in real processes."""

from __future__ import annotations

import json
from pathlib import Path

from tests.integration.cli_support import workspace_with_owner

OWNER_PW = "correct horse battery staple 蔵"


def test_the_owner_sets_the_default_and_terms_from_stdin(tmp_path: Path) -> None:
    kura = workspace_with_owner(tmp_path, "boss", OWNER_PW)
    me = ("--user", "boss", "--password-stdin")
    res = kura("privacy", "set", "pseudonymise", "on", "--json", *me, stdin=OWNER_PW + "\n")
    assert res.code == 0, res.err
    assert json.loads(res.out)["defaults"] == {"minimise_logs": False, "pseudonymise": True}
    terms = "Project Blue Sky\nre:CUST-\\d{6}\n"
    res = kura("privacy", "set-terms", *me, stdin=f"{OWNER_PW}\n{terms}")
    assert res.code == 0, res.err
    res = kura("privacy", "terms", "--json", *me, stdin=OWNER_PW + "\n")
    assert json.loads(res.out)["terms"] == [
        {"text": "Project Blue Sky", "regex": False},
        {"text": "CUST-\\d{6}", "regex": True},
    ]
    res = kura("privacy", "set-terms", *me, stdin=f"{OWNER_PW}\nre:([\n")
    assert res.code == 2 and "regular expression" in res.err
    assert len(res.err.strip().splitlines()) == 1 and "Traceback" not in res.err
