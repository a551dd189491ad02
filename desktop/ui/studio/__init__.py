"""The Studio screen: chat apps, their editor and a live preview chat."""
