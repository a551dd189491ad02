"""The few rules the chat screen adds to the application style sheet: which message is
whose, and quiet secondary text. Scoped to the screen's own object names."""

from __future__ import annotations

CHAT_STYLE_SHEET = """
#transcript, #transcriptBody { background: palette(base); }
#userMessage { background: #eef2fb; border-radius: 12px; }
#userMessage[editing="true"] { border: 2px solid #3b6fd8; }
#answerBody, #openingStatement { background: transparent; }
#answerMeta, #contextLabel, #speedLabel, #appDescription { color: #6b7280; }
#citationChip { color: #3b6fd8; text-align: left; padding: 2px 6px; }
#suggestedQuestion {
    background: palette(base); border: 1px solid #c7d2e8; border-radius: 14px;
    padding: 5px 14px; text-align: left;
}
#suggestedQuestion:hover { background: #eef2fb; }
#chatSidebar { border-right: 1px solid #e5e7eb; }
#conversationList { border: none; background: transparent; }
#conversationList::item { padding: 6px 4px; border-radius: 6px; }
#conversationList::item:selected { background: #dbe5f8; color: #1f2430; }
#conversationList::item:hover:!selected { background: #eef2fb; }
"""
