"""Local inference: GGUF inspection, sandboxed chat templates, the llama-cpp-python adapter.

``llama_cpp`` itself is imported only when a model is first loaded.
"""

from desktop.inference.gguf import GgufModelInspector
from desktop.inference.llama import LlamaCppChatModel, LlamaGeneration, gpu_offload_supported

__all__ = ["GgufModelInspector", "LlamaCppChatModel", "LlamaGeneration", "gpu_offload_supported"]
