"""Parsers, chunking, embeddings, FAISS and FTS5 (arrive with the knowledge-base issue)."""
