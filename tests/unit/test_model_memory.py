"""The memory a model will need, estimated from its GGUF header before loading it."""

from __future__ import annotations

from desktop.core.chat_models import GgufInfo
from desktop.core.model_memory import estimate_memory, kv_cache_bytes

GEMMA = GgufInfo(
    gguf_version=3,
    architecture="gemma3",
    embedding_length=640,
    block_count=18,
    head_count=4,
    head_count_kv=1,
    key_length=256,
    value_length=256,
)
MB = 1 << 20


def test_kv_cache_follows_the_attention_shape_in_the_header() -> None:
    # 18 layers x 4096 tokens x 1 kv head x (256 + 256) x 2 bytes
    assert kv_cache_bytes(GEMMA, 4096) == 18 * 4096 * 512 * 2
    old = GgufInfo(gguf_version=3, architecture="llama", embedding_length=4096, block_count=32)
    assert kv_cache_bytes(old, 1000) == 32 * 1000 * 2 * 4096 * 2  # no head counts: full width
    assert kv_cache_bytes(GgufInfo(gguf_version=3, architecture="x"), 4096) == 0


def test_estimate_splits_weights_and_cache_between_ram_and_vram() -> None:
    size = 253 * MB
    cpu = estimate_memory(size, GEMMA, 4096)
    assert cpu.vram_bytes == 0
    assert cpu.ram_bytes > size + cpu.kv_cache_bytes  # plus the compute margin
    gpu = estimate_memory(size, GEMMA, 4096, gpu_layers=-1)
    assert gpu.vram_bytes > size and gpu.ram_bytes < cpu.ram_bytes
    half = estimate_memory(size, GEMMA, 4096, gpu_layers=9)
    assert gpu.vram_bytes > half.vram_bytes > 0
    assert estimate_memory(size, GEMMA, 8192).ram_bytes > cpu.ram_bytes
