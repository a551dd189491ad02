"""The streaming GGUF reader: synthetic files of every shape, hostile ones, the demo model."""

from __future__ import annotations

import hashlib
import struct
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from desktop.core.errors import Cancelled, ModelInvalid, ModelNotFound
from desktop.core.tasks import CancelToken
from desktop.inference.gguf import FILE_TYPES, GgufModelInspector, read_header
from tests.gguf_writer import (
    GGML_Q8_0,
    T,
    Tensor,
    encode,
    encode_value,
    gguf_string,
    model_spec,
    write,
)

inspector = GgufModelInspector()


def _invalid(path: Path, *needles: str) -> str:
    with pytest.raises(ModelInvalid) as caught:
        inspector.inspect(str(path))
    message = str(caught.value)
    assert "\n" not in message and path.name in message
    for needle in needles:
        assert needle in message, message
    return message


def _raw(path: Path, *parts: bytes) -> Path:
    path.write_bytes(b"".join(parts))
    return path


def _head(version: int = 3, tensors: int = 0, entries: int = 1) -> bytes:
    return b"GGUF" + struct.pack("<IQQ", version, tensors, entries)


def _kv(key: str, vtype: int, payload: bytes) -> bytes:
    return gguf_string(key) + struct.pack("<I", vtype) + payload


# ---------------------------------------------------------------- sound files


@pytest.mark.parametrize("version", [2, 3])
def test_reads_the_model_facts(tmp_path: Path, version: int) -> None:
    spec = model_spec(version=version)
    info = inspector.inspect(str(write(tmp_path / "tiny.gguf", spec)))
    assert info.gguf_version == version
    assert (info.architecture, info.name) == ("llama", "Tiny Test")
    assert (info.quantization, info.file_type) == ("Q8_0", 7)
    assert (info.context_length, info.embedding_length, info.block_count) == (2048, 64, 2)
    assert info.chat_template == "{{ messages[0]['content'] }}"
    assert (info.bos_token, info.eos_token) == ("<s>", "</s>")
    assert (info.tensor_count, info.metadata_count) == (2, len(spec.metadata))
    assert info.parameter_count == 64 * 5 + 64  # from the tensor shapes


def test_general_parameter_count_wins_over_the_tensor_sum(tmp_path: Path) -> None:
    spec = model_spec(extra={"general.parameter_count": (T.U64, 270_000_000)})
    assert inspector.inspect(str(write(tmp_path / "m.gguf", spec))).parameter_count == 270_000_000


def test_every_value_type_decodes_when_asked(tmp_path: Path) -> None:
    values = {
        "t.u8": (T.U8, 255),
        "t.i8": (T.I8, -128),
        "t.u16": (T.U16, 65535),
        "t.i16": (T.I16, -32768),
        "t.u32": (T.U32, 2**32 - 1),
        "t.i32": (T.I32, -(2**31)),
        "t.f32": (T.F32, 0.5),
        "t.bool": (T.BOOL, True),
        "t.str": (T.STRING, "蔵 — storehouse"),
        "t.u64": (T.U64, 2**64 - 1),
        "t.i64": (T.I64, -(2**63)),
        "t.f64": (T.F64, -1.25e300),
        "t.strings": (T.ARRAY, (T.STRING, ["a", "", "ビー"])),
        "t.floats": (T.ARRAY, (T.F32, [1.0, -2.0])),
        "t.nested": (T.ARRAY, (T.ARRAY, [(T.U8, [1, 2]), (T.STRING, ["x"]), (T.I64, [])])),
        "t.empty": (T.ARRAY, (T.BOOL, [])),
    }
    path = write(tmp_path / "types.gguf", model_spec(extra=values))
    metadata = read_header(path, keep=lambda key: key.startswith("t.")).metadata
    expected = {k: v for k, (_, v) in values.items()}
    expected["t.strings"] = ["a", "", "ビー"]
    expected["t.floats"] = [1.0, -2.0]
    expected["t.nested"] = [[1, 2], ["x"], []]
    expected["t.empty"] = []
    assert metadata == expected
    # the same file through the default path: all of it skipped, the facts still right
    assert inspector.inspect(str(path)).architecture == "llama"


@pytest.mark.parametrize("ids_first", [True, False])
def test_bos_and_eos_found_wherever_their_ids_are(tmp_path: Path, ids_first: bool) -> None:
    tokens = [f"tok{i}" for i in range(5000)]
    spec = model_spec(tokens=tokens)  # the ids come after the tokens: a second, short walk
    ids = {
        "tokenizer.ggml.bos_token_id": (T.U32, 4321),
        "tokenizer.ggml.eos_token_id": (T.U32, 17),
    }
    for key in ids:
        del spec.metadata[key]
    spec.metadata = {**ids, **spec.metadata} if ids_first else {**spec.metadata, **ids}
    info = inspector.inspect(str(write(tmp_path / "m.gguf", spec)))
    assert (info.bos_token, info.eos_token) == ("tok4321", "tok17")


def test_token_ids_outside_the_vocabulary_give_no_token(tmp_path: Path) -> None:
    spec = model_spec(extra={"tokenizer.ggml.eos_token_id": (T.U32, 99)})
    info = inspector.inspect(str(write(tmp_path / "m.gguf", spec)))
    assert (info.bos_token, info.eos_token) == ("<s>", None)


def test_a_big_vocabulary_is_walked_with_bounded_memory(tmp_path: Path) -> None:
    tokens = [f"▁token-{i:06d}-{'x' * 48}" for i in range(100_000)]
    path = write(tmp_path / "vocab.gguf", model_spec(tokens=tokens))
    assert path.stat().st_size > 6_000_000
    tracemalloc.start()
    try:
        started = time.perf_counter()
        info = inspector.inspect(str(path))
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert info.bos_token == tokens[1]
    assert peak < 4 * 1024 * 1024, peak
    assert elapsed < 2.0


@pytest.mark.parametrize(
    ("file_type", "name"),
    [(0, "F32"), (1, "F16"), (7, "Q8_0"), (15, "Q4_K_M"), (18, "Q6_K"), (30, "IQ4_XS"),
     (32, "BF16"), (38, "MXFP4_MOE")],
)  # fmt: skip
def test_file_type_names_follow_llama_cpp(tmp_path: Path, file_type: int, name: str) -> None:
    spec = model_spec(extra={"general.file_type": (T.U32, file_type)})
    info = inspector.inspect(str(write(tmp_path / "m.gguf", spec)))
    assert (info.quantization, info.file_type) == (name, file_type)


def test_file_type_table_covers_the_llama_ftype_enum() -> None:
    assert set(FILE_TYPES) == set(range(42)) - {5, 6}


def test_unknown_file_type_keeps_the_number(tmp_path: Path) -> None:
    spec = model_spec(extra={"general.file_type": (T.U32, 999)})
    info = inspector.inspect(str(write(tmp_path / "m.gguf", spec)))
    assert (info.quantization, info.file_type) == (None, 999)


def test_quantized_tensor_sizes_are_checked_against_the_file(tmp_path: Path) -> None:
    spec = model_spec(tensors=[Tensor("w", (64, 8), GGML_Q8_0)])  # 544 bytes, no padding
    data = encode(spec)
    assert inspector.inspect(str(_raw(tmp_path / "ok.gguf", data))).parameter_count == 512
    _invalid(_raw(tmp_path / "cut.gguf", data[:-1]), "truncated GGUF", "tensor data")


# ---------------------------------------------------------------- refusals


def test_missing_file_is_model_not_found(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFound):
        inspector.inspect(str(tmp_path / "nope.gguf"))
    with pytest.raises(ModelNotFound):
        inspector.sha256(str(tmp_path / "nope.gguf"))


def test_a_folder_is_not_a_model(tmp_path: Path) -> None:
    (tmp_path / "dir.gguf").mkdir()
    _invalid(tmp_path / "dir.gguf", "cannot read")


def test_text_zip_and_tiny_files_are_not_gguf(tmp_path: Path) -> None:
    _invalid(_raw(tmp_path / "notes.gguf", b"hello, this is text\n"), "not a GGUF file", "b'hell'")
    with zipfile.ZipFile(tmp_path / "model.zip", "w") as archive:
        archive.writestr("a.txt", "x")
    _invalid(tmp_path / "model.zip", "not a GGUF file", "PK")
    _invalid(_raw(tmp_path / "empty.gguf"), "not a GGUF file", "only 0 bytes")
    _invalid(_raw(tmp_path / "gg.gguf", b"GG"), "not a GGUF file")


@pytest.mark.parametrize(("version", "needle"), [(1, "GGUF 1"), (4, "GGUF 4"), (0, "GGUF 0")])
def test_unsupported_versions_are_named(tmp_path: Path, version: int, needle: str) -> None:
    data = encode(model_spec(version=version))
    _invalid(_raw(tmp_path / "v.gguf", data), needle, "not supported")


def test_big_endian_files_are_recognised(tmp_path: Path) -> None:
    _invalid(_raw(tmp_path / "be.gguf", b"GGUF" + struct.pack(">I", 3), b"\0" * 64), "big-endian")


def test_truncation_anywhere_is_reported(tmp_path: Path) -> None:
    data = encode(model_spec())  # tensor sizes are multiples of 32: no trailing padding
    path = tmp_path / "cut.gguf"
    for cut in [*range(4, 700), *range(700, len(data), 97), len(data) - 1]:
        path.write_bytes(data[:cut])
        _invalid(path, "truncated")
    path.write_bytes(data)
    inspector.inspect(str(path))


def test_truncated_copy_names_the_section(tmp_path: Path) -> None:
    data = encode(model_spec())
    cut = data.index(b"hello") + 2
    _invalid(_raw(tmp_path / "m.gguf", data[:cut]), "truncated", "'tokenizer.ggml.tokens'")
    cut = data.index(b"output_norm") + 3
    _invalid(_raw(tmp_path / "m.gguf", data[:cut]), "truncated", "tensor info 2 of 2")


@pytest.mark.parametrize(
    ("parts", "needle"),
    [
        ((_head(entries=2**40),), "metadata count"),
        ((_head(tensors=2**50),), "tensor count"),
        ((_head(), struct.pack("<Q", 2**62), b"k" * 64), "string length"),
        ((_head(), _kv("a", T.ARRAY, struct.pack("<IQ", T.U64, 2**60))), "array length"),
        ((_head(), _kv("a", T.ARRAY, struct.pack("<IQ", T.STRING, 2**59))), "array length"),
        ((_head(), _kv("a", T.STRING, struct.pack("<Q", 2**63))), "string length"),
    ],
)
def test_absurd_lengths_are_refused(tmp_path: Path, parts: tuple[bytes, ...], needle: str) -> None:
    _invalid(_raw(tmp_path / "evil.gguf", *parts, b"\0" * 256), "cannot fit", needle)


def test_unknown_value_types_are_refused(tmp_path: Path) -> None:
    _invalid(_raw(tmp_path / "a.gguf", _head(), _kv("a", 13, b"\0" * 8)), "unknown value type 13")
    bad_array = _kv("a", T.ARRAY, struct.pack("<IQ", 42, 1))
    _invalid(_raw(tmp_path / "b.gguf", _head(), bad_array, b"\0" * 8), "element type 42")


def test_deep_array_nesting_is_refused(tmp_path: Path) -> None:
    value: tuple[T, object] = (T.U8, [1])
    for _ in range(6):
        value = (T.ARRAY, [value])
    payload = encode_value(T.ARRAY, value)
    _invalid(_raw(tmp_path / "deep.gguf", _head(), _kv("deep", T.ARRAY, payload)), "nested")


def test_oversized_kept_strings_are_refused(tmp_path: Path) -> None:
    spec = model_spec(extra={"tokenizer.chat_template": (T.STRING, "x" * (1 << 20 | 1))})
    _invalid(write(tmp_path / "m.gguf", spec), "over the", "limit")


@pytest.mark.parametrize("n_dims", [5, 9, 2**31])
def test_too_many_dimensions_are_refused(tmp_path: Path, n_dims: int) -> None:
    data = encode(model_spec(tensors=[Tensor("w", (64,))]))
    at = data.index(gguf_string("w")) + len(gguf_string("w"))
    data = data[:at] + struct.pack("<I", n_dims) + data[at + 4 :]
    _invalid(_raw(tmp_path / "dims.gguf", data), "dimensions")


def test_structural_problems_are_refused(tmp_path: Path) -> None:
    dup = model_spec(tensors=[Tensor("w", (64,)), Tensor("w", (64,))])
    _invalid(write(tmp_path / "dup.gguf", dup), "appears twice")
    ragged_bytes = encode(model_spec(tensors=[Tensor("q", (64,), GGML_Q8_0)]))
    at = ragged_bytes.index(gguf_string("q")) + len(gguf_string("q")) + 4
    _raw(tmp_path / "ragged.gguf", ragged_bytes[:at], struct.pack("<Q", 33), ragged_bytes[at + 8 :])
    _invalid(tmp_path / "ragged.gguf", "whole number")
    odd = model_spec(extra={"general.alignment": (T.U32, 24)})
    _invalid(write(tmp_path / "align.gguf", odd), "power of two")
    nameless = model_spec()
    del nameless.metadata["general.architecture"]
    _invalid(write(tmp_path / "arch.gguf", nameless), "general.architecture")
    _invalid(write(tmp_path / "vocab.gguf", model_spec(tensors=[])), "no tensors")


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    entry = _kv("general.architecture", T.STRING, gguf_string("llama"))
    _invalid(_raw(tmp_path / "dup.gguf", _head(entries=2), entry, entry), "appears twice")


def test_misaligned_tensor_offsets_are_refused(tmp_path: Path) -> None:
    data = encode(model_spec(tensors=[Tensor("w", (64,))]))
    at = data.index(gguf_string("w")) + len(gguf_string("w")) + 4 + 8 + 4
    data = data[:at] + struct.pack("<Q", 7) + data[at + 8 :]
    _invalid(_raw(tmp_path / "mis.gguf", data), "not aligned")


# ---------------------------------------------------------------- sha256


def test_sha256_streams_and_honours_cancel(tmp_path: Path) -> None:
    blob = bytes(range(256)) * 20_000  # ~5 MiB: several blocks
    path = _raw(tmp_path / "blob.bin", blob)
    assert inspector.sha256(str(path)) == hashlib.sha256(blob).hexdigest()
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        inspector.sha256(str(path), token)


# ---------------------------------------------------------------- the demo model


def test_demo_model_header(demo_model_path: Path) -> None:
    started = time.perf_counter()
    info = inspector.inspect(str(demo_model_path))
    assert time.perf_counter() - started < 2.0
    assert (info.gguf_version, info.architecture) == (3, "gemma3")
    assert (info.quantization, info.file_type) == ("Q4_K_M", 15)
    assert info.context_length is not None and info.context_length > 0
    assert (info.embedding_length, info.block_count) == (640, 18)
    assert (info.bos_token, info.eos_token) == ("<bos>", "<eos>")
    assert info.tensor_count == 236
    assert info.parameter_count is not None and 250e6 < info.parameter_count < 300e6
    # this GGUF carries no tokenizer.chat_template: the adapter uses its Gemma fallback
    assert info.chat_template is None
    assert read_header(demo_model_path).data_end == demo_model_path.stat().st_size
