"""The Qt GUI: the only package that imports PySide6 (arrives with the GUI issue)."""
