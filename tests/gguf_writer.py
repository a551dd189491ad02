"""A tiny GGUF writer for tests: synthetic model files with chosen metadata and tensors.

Values are written with an explicit GGUF type: ``(T.U32, 7)``, ``(T.STRING, "x")``,
``(T.ARRAY, (T.STRING, ["a", "b"]))`` and, nested, ``(T.ARRAY, (T.ARRAY, [(T.U8, [1])]))``.
Tensor data is zeros, laid out as llama.cpp does (aligned offsets, padded section).
"""

from __future__ import annotations

import enum
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class T(enum.IntEnum):
    U8 = 0
    I8 = 1
    U16 = 2
    I16 = 3
    U32 = 4
    I32 = 5
    F32 = 6
    BOOL = 7
    STRING = 8
    ARRAY = 9
    U64 = 10
    I64 = 11
    F64 = 12


_FORMATS = {
    T.U8: "<B", T.I8: "<b", T.U16: "<H", T.I16: "<h", T.U32: "<I", T.I32: "<i",
    T.F32: "<f", T.BOOL: "<?", T.U64: "<Q", T.I64: "<q", T.F64: "<d",
}  # fmt: skip

# ggml_type -> (block elements, block bytes) for the types tests use
GGML_F32, GGML_F16, GGML_Q8_0, GGML_Q4_K = 0, 1, 8, 12
_BLOCKS = {GGML_F32: (1, 4), GGML_F16: (1, 2), GGML_Q8_0: (32, 34), GGML_Q4_K: (256, 144)}


def gguf_string(text: str | bytes) -> bytes:
    raw = text.encode() if isinstance(text, str) else text
    return struct.pack("<Q", len(raw)) + raw


def encode_value(vtype: T, value: Any) -> bytes:
    if vtype == T.STRING:
        return gguf_string(value)
    if vtype == T.ARRAY:
        etype, items = value
        body = b"".join(encode_value(etype, item) for item in items)
        return struct.pack("<IQ", etype, len(items)) + body
    return struct.pack(_FORMATS[vtype], value)


@dataclass
class Tensor:
    name: str
    dims: tuple[int, ...]
    ggml_type: int = GGML_F32

    def nbytes(self) -> int:
        block, size = _BLOCKS[self.ggml_type]
        count = 1
        for d in self.dims:
            count *= d
        return count // block * size


@dataclass
class GgufSpec:
    """What to write; ``metadata`` maps key -> (type, value), in file order."""

    version: int = 3
    metadata: dict[str, tuple[T, Any]] = field(default_factory=dict)
    tensors: Sequence[Tensor] = ()
    alignment: int = 32


def model_spec(
    *,
    version: int = 3,
    arch: str = "llama",
    extra: dict[str, tuple[T, Any]] | None = None,
    tokens: Sequence[str] = ("<unk>", "<s>", "</s>", "hello", "world"),
    tensors: Sequence[Tensor] | None = None,
) -> GgufSpec:
    """A plausible small model: architecture, sizes, a tokenizer and two tensors."""
    metadata: dict[str, tuple[T, Any]] = {
        "general.architecture": (T.STRING, arch),
        "general.name": (T.STRING, "Tiny Test"),
        "general.file_type": (T.U32, 7),
        f"{arch}.context_length": (T.U32, 2048),
        f"{arch}.embedding_length": (T.U32, 64),
        f"{arch}.block_count": (T.U32, 2),
        "tokenizer.ggml.tokens": (T.ARRAY, (T.STRING, list(tokens))),
        "tokenizer.ggml.scores": (T.ARRAY, (T.F32, [0.0] * len(tokens))),
        "tokenizer.ggml.bos_token_id": (T.U32, 1),
        "tokenizer.ggml.eos_token_id": (T.U32, 2),
        "tokenizer.chat_template": (T.STRING, "{{ messages[0]['content'] }}"),
    }
    metadata.update(extra or {})
    if tensors is None:
        tensors = [Tensor("token_embd.weight", (64, 5)), Tensor("output_norm.weight", (64,))]
    return GgufSpec(version=version, metadata=metadata, tensors=tensors)


def encode(spec: GgufSpec) -> bytes:
    """The whole file as bytes."""
    count = struct.pack("<Q", len(spec.tensors))
    out = [b"GGUF", struct.pack("<I", spec.version), count]
    out.append(struct.pack("<Q", len(spec.metadata)))
    for key, (vtype, value) in spec.metadata.items():
        out += [gguf_string(key), struct.pack("<I", vtype), encode_value(vtype, value)]
    offset = 0
    for tensor in spec.tensors:
        out += [gguf_string(tensor.name), struct.pack("<I", len(tensor.dims))]
        out += [struct.pack("<Q", d) for d in tensor.dims]
        out += [struct.pack("<IQ", tensor.ggml_type, offset)]
        offset += _pad(tensor.nbytes(), spec.alignment)
    head = b"".join(out)
    head += b"\0" * (_pad(len(head), spec.alignment) - len(head))
    return head + b"\0" * offset


def write(path: Path, spec: GgufSpec | None = None) -> Path:
    path.write_bytes(encode(spec or model_spec()))
    return path


def _pad(n: int, alignment: int) -> int:
    return -(-n // alignment) * alignment
