"""The model host: chat models, embedders and rerankers run in a child process.

A crash in llama.cpp or torch (or a hostile model file that trips a parser bug) ends the
child, not Kura: the request fails with ``ModelProcessStopped`` and the next one starts a
new host. The main process never imports llama_cpp, torch or sentence_transformers.

- ``wire``: the length-prefixed frames both sides speak (standard library only);
- ``client`` / ``adapters``: the main process's side, behind the ``ChatModel``,
  ``Embedder`` and ``Reranker`` ports;
- ``child`` / ``runtime`` / ``confine``: the host process itself.
"""
