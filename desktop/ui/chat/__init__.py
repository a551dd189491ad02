"""The Chat screen: apps, conversations and streaming answers."""

from desktop.ui.chat.view import ChatView

__all__ = ["ChatView"]
