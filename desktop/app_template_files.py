"""An app template on disk, as both front ends read and write it: ``FILE.yaml`` and,
when signed, its detached signature ``FILE.yaml.sig`` beside it. Qt-free; refusals are
catalogue errors. Reads are capped, so a huge file is refused before it is read whole."""

from __future__ import annotations

from pathlib import Path

from desktop.core.app_template import MAX_BYTES
from desktop.core.errors import InputError
from desktop.core.services.app_templates import MAX_SIGNATURE_BYTES, TemplateExport
from desktop.files import refuse_existing, write_new_file


def signature_path(path: Path) -> Path:
    """Where a template's detached signature lives: ``FILE.yaml.sig``."""
    return path.with_name(path.name + ".sig")


def _read_capped(path: Path, limit: int) -> bytes | None:
    """The file's bytes, or None when it holds more than ``limit``."""
    try:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError("apptpl.file_unreadable", path=path, reason=reason) from None
    return data if len(data) <= limit else None


def read_template(path: Path) -> tuple[bytes, bytes | None]:
    """The template's bytes and, when ``FILE.yaml.sig`` exists, its signature's."""
    if not path.is_file():
        raise InputError("apptpl.file_missing", path=path)
    data = _read_capped(path, MAX_BYTES)
    if data is None:
        raise InputError("apptpl.too_large", size=path.stat().st_size, maximum=MAX_BYTES)
    sig = signature_path(path)
    if not sig.exists():
        return data, None
    signature = _read_capped(sig, MAX_SIGNATURE_BYTES)
    if signature is None:
        raise InputError("apptpl.signature_too_large")
    return data, signature


def write_template(path: Path, export: TemplateExport) -> list[Path]:
    """Write the template (and its signature when it has one) as new files; neither
    replaces an existing file. The paths written, the template first."""
    targets = [path] if export.signature is None else [path, signature_path(path)]
    for target in targets:
        if target.exists():
            raise refuse_existing(target)
    write_new_file(path, export.data)
    if export.signature is not None:
        write_new_file(targets[1], export.signature)
    return targets
