"""A streaming GGUF header reader: what a model file says about itself, weights untouched.

Pure Python (no llama.cpp), little-endian GGUF versions 2 and 3. The reader walks the
header, the metadata and the tensor infos through a 1 MiB window, so memory stays bounded
whatever the file holds: fixed-size arrays are seeked past, string arrays are walked
without keeping their strings, and only the values ``GgufInfo`` needs are decoded. The
windowed reader is :mod:`desktop.inference.gguf_reader`.
Anything unsound (wrong magic, unsupported version, absurd lengths, truncation) raises
``ModelInvalid`` with one line naming the file and the problem.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core.chat_models import GgufInfo
from desktop.core.errors import ModelInvalid, ModelNotFound
from desktop.core.tasks import CancelToken
from desktop.inference.gguf_reader import MAX_KEY, GgufReader

MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)
MAX_DIMS = 4  # GGML_MAX_DIMS: llama.cpp refuses tensors with more dimensions
MAX_VALUE = 1 << 20  # bytes in a string value that is decoded (chat templates, names)
MAX_DEPTH = 4  # nesting of arrays inside arrays
MAX_KEPT_ITEMS = 1 << 20  # elements of an array decoded on request (tests, diagnostics)
DEFAULT_ALIGNMENT = 32
_HASH_BLOCK = 1 << 20

STRING, ARRAY = 8, 9
_FIXED = {
    t: struct.Struct(f)
    for t, f in {
        0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i",
        6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d",
    }.items()
}  # fmt: skip
_U32, _U64 = _FIXED[4], _FIXED[10]
_MIN_SIZE = {**{t: s.size for t, s in _FIXED.items()}, STRING: 8, ARRAY: 12}

# llama_ftype (``general.file_type``) as llama.cpp names the quantizations.
FILE_TYPES = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 4: "Q4_1_SOME_F16", 7: "Q8_0", 8: "Q5_0",
    9: "Q5_1", 10: "Q2_K", 11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S",
    15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K", 19: "IQ2_XXS", 20: "IQ2_XS",
    21: "Q2_K_S", 22: "IQ3_XS", 23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL", 26: "IQ3_S",
    27: "IQ3_M", 28: "IQ2_S", 29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16",
    33: "Q4_0_4_4", 34: "Q4_0_4_8", 35: "Q4_0_8_8", 36: "TQ1_0", 37: "TQ2_0",
    38: "MXFP4_MOE", 39: "NVFP4", 40: "Q1_0", 41: "Q2_0",
}  # fmt: skip

# ggml_type -> (elements per block, bytes per block), as ggml_blck_size / ggml_type_size.
TENSOR_TYPES = {
    0: (1, 4), 1: (1, 2), 2: (32, 18), 3: (32, 20), 6: (32, 22), 7: (32, 24), 8: (32, 34),
    9: (32, 36), 10: (256, 84), 11: (256, 110), 12: (256, 144), 13: (256, 176),
    14: (256, 210), 15: (256, 292), 16: (256, 66), 17: (256, 74), 18: (256, 98),
    19: (256, 50), 20: (32, 18), 21: (256, 110), 22: (256, 82), 23: (256, 136), 24: (1, 1),
    25: (1, 2), 26: (1, 4), 27: (1, 8), 28: (1, 8), 29: (256, 56), 30: (1, 2),
    34: (256, 54), 35: (256, 66), 39: (32, 17), 40: (64, 36), 41: (128, 18), 42: (64, 18),
}  # fmt: skip

_TOKENS = "tokenizer.ggml.tokens"
_TOKEN_IDS = ("tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id")
_WANTED = frozenset({
    *_TOKEN_IDS, "tokenizer.chat_template", "general.architecture", "general.name",
    "general.parameter_count", "general.file_type", "general.alignment",
})  # fmt: skip
_WANTED_SUFFIXES = (
    ".context_length", ".embedding_length", ".block_count", ".attention.head_count",
    ".attention.head_count_kv", ".attention.key_length", ".attention.value_length",
)  # fmt: skip


def default_keep(key: str) -> bool:
    """The metadata keys ``inspect`` decodes; every other value is skipped unread."""
    return key in _WANTED or key.endswith(_WANTED_SUFFIXES)


@dataclass(slots=True)
class GgufHeader:
    """The parsed header: kept metadata values, captured token strings, tensor totals."""

    version: int
    tensor_count: int
    metadata_count: int
    file_size: int
    metadata: dict[str, Any] = field(default_factory=dict)
    tokens: dict[int, str] = field(default_factory=dict)
    tensor_elements: int = 0
    data_end: int = 0  # absolute end of the furthest tensor whose size is computable


class _Parser:
    def __init__(self, reader: GgufReader, keep: Callable[[str], bool]) -> None:
        self.r = reader
        self.keep = keep
        self.tokens_at: tuple[int, int] | None = None  # (file offset, count)

    def header(self, size: int) -> GgufHeader:
        r = self.r
        magic = r.take(4) if size >= 4 else b""
        if magic != MAGIC:
            if magic:
                raise ModelInvalid("llama.gguf_bad_magic", name=r.label, magic=repr(magic))
            raise ModelInvalid("llama.gguf_too_short", name=r.label, size=size)
        version = r.unpack(_U32)
        if version not in SUPPORTED_VERSIONS:
            swapped = int.from_bytes(version.to_bytes(4, "little"), "big")
            if swapped in SUPPORTED_VERSIONS:
                raise ModelInvalid("llama.gguf_big_endian", name=r.label)
            raise ModelInvalid("llama.gguf_version_unsupported", name=r.label, version=version)
        tensors, entries = r.unpack(_U64), r.unpack(_U64)
        r.where = "the header counts"
        r.check_length(entries, 13, "a metadata count")
        r.check_length(tensors, 24, "a tensor count")
        return GgufHeader(version, tensors, entries, size)

    def metadata(self, head: GgufHeader) -> None:
        r, seen = self.r, set[str]()
        for index in range(head.metadata_count):
            r.where = f"metadata entry {index + 1} of {head.metadata_count}"
            key = r.string(MAX_KEY)
            r.where = f"metadata entry {key[:80]!r}"
            if key in seen:
                r.invalid("the key appears twice")
            seen.add(key)
            vtype = r.unpack(_U32)
            if key == _TOKENS and vtype == ARRAY:
                head.tokens.update(self._token_array(head))
                continue
            value = self.value(vtype, self.keep(key), 0)
            if value is not None:
                head.metadata[key] = value

    def value(self, vtype: int, keep: bool, depth: int) -> Any:
        r = self.r
        if vtype in _FIXED:
            return r.unpack(_FIXED[vtype]) if keep else r.skip(_FIXED[vtype].size)
        if vtype == STRING:
            return r.string(MAX_VALUE) if keep else r.skip_string()
        if vtype == ARRAY:
            return self.array(keep, depth + 1)
        return r.invalid(f"unknown value type {vtype}")

    def array(self, keep: bool, depth: int) -> list[Any] | None:
        r = self.r
        if depth > MAX_DEPTH:
            r.invalid(f"arrays nested deeper than {MAX_DEPTH}")
        etype, count = r.unpack(_U32), r.unpack(_U64)
        if etype not in _MIN_SIZE:
            r.invalid(f"unknown array element type {etype}")
        r.check_length(count, _MIN_SIZE[etype], "an array length")
        if keep and count > MAX_KEPT_ITEMS:
            r.invalid(f"an array of {count} elements is over the {MAX_KEPT_ITEMS} limit")
        if keep:
            return [self.value(etype, True, depth) for _ in range(count)]
        if etype in _FIXED:
            r.skip(count * _FIXED[etype].size)
        elif etype == STRING:
            r.skip_strings(count, frozenset())
        else:
            for _ in range(count):
                self.array(False, depth + 1)
        return None

    def _token_array(self, head: GgufHeader) -> dict[int, str]:
        r = self.r
        etype, count = r.unpack(_U32), r.unpack(_U64)
        if etype != STRING:
            r.invalid("tokenizer.ggml.tokens is not an array of strings")
        r.check_length(count, 8, "an array length")
        self.tokens_at = (r.tell(), count)
        wanted = [head.metadata.get(k) for k in _TOKEN_IDS]
        return r.skip_strings(count, frozenset(i for i in wanted if isinstance(i, int)))

    def tensor_infos(self, head: GgufHeader, alignment: int) -> None:
        r, names, furthest = self.r, set[str](), 0
        for index in range(head.tensor_count):
            r.where = f"tensor info {index + 1} of {head.tensor_count}"
            name = r.string(MAX_KEY)
            r.where = f"tensor info {name[:80]!r}"
            if name in names:
                r.invalid("the tensor name appears twice")
            names.add(name)
            n_dims = r.unpack(_U32)
            if n_dims > MAX_DIMS:
                r.invalid(f"{n_dims} dimensions (at most {MAX_DIMS})")
            dims = struct.unpack(f"<{n_dims}Q", r.take(8 * n_dims))
            ggml_type, offset = r.unpack(_U32), r.unpack(_U64)
            elements = math.prod(dims)
            if elements >= 1 << 63:
                r.invalid(f"the tensor shape {dims} is impossible")
            if offset % alignment:
                r.invalid(f"the tensor offset {offset} is not aligned to {alignment}")
            head.tensor_elements += elements
            furthest = max(furthest, offset + self._nbytes(ggml_type, dims))
        head.data_end = furthest

    def _nbytes(self, ggml_type: int, dims: tuple[int, ...]) -> int:
        """The tensor's data size, or 0 for a type this reader does not know."""
        if ggml_type not in TENSOR_TYPES:
            return 0
        block, size = TENSOR_TYPES[ggml_type]
        if dims and dims[0] % block:
            self.r.invalid(f"a row of {dims[0]} is not a whole number of {block}-blocks")
        return math.prod(dims) // block * size


def read_header(path: str | Path, keep: Callable[[str], bool] = default_keep) -> GgufHeader:
    """Parse a GGUF's header, metadata and tensor infos; ``keep`` picks values to decode."""
    with _opened(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        parser = _Parser(GgufReader(handle, size, Path(path).name), keep)
        head = parser.header(size)
        parser.metadata(head)
        _resolve_tokens(parser, head)
        alignment = _alignment(parser.r, head)
        parser.tensor_infos(head, alignment)
        r = parser.r
        data_start = -(-r.tell() // alignment) * alignment
        if head.tensor_count and data_start + head.data_end > size:
            r.truncated(
                f"the tensor data ends at byte {data_start + head.data_end} "
                f"but the file has {size} bytes"
            )
        head.data_end = data_start + head.data_end if head.tensor_count else r.tell()
        return head


@contextmanager
def _opened(path: str | Path) -> Iterator[io.FileIO]:
    """The file, unbuffered; ModelNotFound when it is gone, ModelInvalid when unreadable."""
    label = Path(path).name
    try:
        with open(path, "rb", buffering=0) as handle:
            yield handle
    except FileNotFoundError as exc:
        raise ModelNotFound("llama.model_file_missing", name=label) from exc
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ModelInvalid("llama.model_file_unreadable", name=label, reason=reason) from exc


def _alignment(r: GgufReader, head: GgufHeader) -> int:
    value = head.metadata.get("general.alignment", DEFAULT_ALIGNMENT)
    if not isinstance(value, int) or value <= 0 or value & (value - 1):
        r.where = "general.alignment"
        r.invalid(f"alignment {value!r} is not a power of two")
    return value


def _resolve_tokens(parser: _Parser, head: GgufHeader) -> None:
    """Fetch BOS/EOS strings with a second walk when their ids came after the tokens."""
    ids = {head.metadata.get(k) for k in _TOKEN_IDS}
    missing = {i for i in ids if isinstance(i, int) and i not in head.tokens}
    if parser.tokens_at is None or not missing:
        return
    start, count = parser.tokens_at
    missing = {i for i in missing if i < count}
    if not missing:
        return
    r = parser.r
    resume = r.tell()
    r.seek(start)
    r.where = f"metadata entry {_TOKENS!r}"
    head.tokens.update(r.skip_strings(max(missing) + 1, frozenset(missing)))
    r.seek(resume)


def _as_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _as_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def info_from_header(head: GgufHeader, label: str) -> GgufInfo:
    """Map a parsed header onto ``GgufInfo`` (the registry's record of a model)."""
    md = head.metadata
    arch = _as_str(md.get("general.architecture"))
    if arch is None:
        raise ModelInvalid("llama.gguf_no_architecture", name=label)
    if head.tensor_count == 0:
        raise ModelInvalid("llama.gguf_no_tensors", name=label)
    file_type = _as_int(md.get("general.file_type"))
    bos, eos = (_as_int(md.get(k)) for k in _TOKEN_IDS)
    return GgufInfo(
        gguf_version=head.version,
        architecture=arch,
        name=_as_str(md.get("general.name")),
        parameter_count=_as_int(md.get("general.parameter_count")) or head.tensor_elements,
        quantization=FILE_TYPES.get(file_type) if file_type is not None else None,
        file_type=file_type,
        context_length=_as_int(md.get(f"{arch}.context_length")),
        embedding_length=_as_int(md.get(f"{arch}.embedding_length")),
        block_count=_as_int(md.get(f"{arch}.block_count")),
        head_count=_as_int(md.get(f"{arch}.attention.head_count")),
        head_count_kv=_as_int(md.get(f"{arch}.attention.head_count_kv")),
        key_length=_as_int(md.get(f"{arch}.attention.key_length")),
        value_length=_as_int(md.get(f"{arch}.attention.value_length")),
        chat_template=_as_str(md.get("tokenizer.chat_template")),
        bos_token=head.tokens.get(bos) if bos is not None else None,
        eos_token=head.tokens.get(eos) if eos is not None else None,
        tensor_count=head.tensor_count,
        metadata_count=head.metadata_count,
    )


class GgufModelInspector:
    """``ModelInspector`` for GGUF files: header facts and the file's SHA-256."""

    def inspect(self, path: str) -> GgufInfo:
        """Parse the GGUF header; ModelInvalid for anything that is not a sound GGUF."""
        return info_from_header(read_header(path), Path(path).name)

    def sha256(self, path: str, cancel: CancelToken | None = None) -> str:
        """Hash the whole file in 1 MiB blocks, checking ``cancel`` between blocks."""
        digest = hashlib.sha256()
        block = bytearray(_HASH_BLOCK)
        view = memoryview(block)
        with _opened(path) as handle:
            while n := handle.readinto(block):
                if cancel is not None:
                    cancel.raise_if_cancelled()
                digest.update(view[:n])
        return digest.hexdigest()
