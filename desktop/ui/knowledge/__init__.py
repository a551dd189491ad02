"""The Knowledge screen: knowledge bases, their documents and versions, ingestion by
drag-and-drop with per-file progress, settings and a search tester."""
