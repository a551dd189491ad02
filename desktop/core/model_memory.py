"""How much memory a GGUF model will need once loaded, estimated from its file and
header before loading it: the weights (the file, mapped), the KV cache for the context
window (16-bit keys and values, from the attention shape in the GGUF's metadata) and a
margin for llama.cpp's compute buffers. Layers offloaded to a GPU move their share of
the weights and the cache from RAM to VRAM. An estimate to show, never a limit."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.chat_models import GgufInfo

KV_BYTES = 2  # llama.cpp's default cache type is f16
COMPUTE_MARGIN = 0.1  # of the weights, for the compute buffers and scratch
COMPUTE_FLOOR = 64 << 20


@dataclass(frozen=True, slots=True)
class MemoryEstimate:
    ram_bytes: int
    vram_bytes: int
    kv_cache_bytes: int


def kv_cache_bytes(info: GgufInfo, n_ctx: int) -> int:
    """Keys and values for ``n_ctx`` tokens in every layer; 0 when the header lacks the
    shape (an old record or an unusual architecture)."""
    layers, width = info.block_count, info.embedding_length
    if not layers or n_ctx <= 0:
        return 0
    heads = info.head_count
    if heads:
        kv_heads = info.head_count_kv or heads
        key = info.key_length or (width // heads if width else 0)
        value = info.value_length or key
        per_token = kv_heads * (key + value)
    else:
        per_token = 2 * (width or 0)
    return layers * n_ctx * per_token * KV_BYTES


def estimate_memory(
    file_size: int, info: GgufInfo, n_ctx: int, gpu_layers: int = 0
) -> MemoryEstimate:
    """RAM and VRAM for the model at ``n_ctx`` with ``gpu_layers`` offloaded (-1: all)."""
    kv = kv_cache_bytes(info, n_ctx)
    layers = info.block_count or 0
    if gpu_layers < 0:
        share = 1.0
    elif layers and gpu_layers:
        share = min(gpu_layers, layers) / layers
    else:
        share = 0.0
    margin = max(int(file_size * COMPUTE_MARGIN), COMPUTE_FLOOR)
    on_gpu = int((file_size + kv) * share)
    return MemoryEstimate(
        ram_bytes=file_size + kv - on_gpu + margin,
        vram_bytes=on_gpu + (margin if on_gpu else 0),
        kv_cache_bytes=kv,
    )
