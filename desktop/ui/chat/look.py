"""The few rules the chat screen adds to the application style sheet: which message is
whose, and quiet secondary text, in the light or the dark theme. Scoped to the screen's
own object names."""

from __future__ import annotations

LIGHT = {
    "user_bg": "#eef2fb", "user_fg": "#1f2430", "muted": "#6b7280", "link": "#3b6fd8",
    "chip_border": "#c7d2e8", "rule": "#e5e7eb", "selected_bg": "#dbe5f8",
    "selected_fg": "#1f2430", "hover": "#eef2fb",
}  # fmt: skip
DARK = {
    "user_bg": "#263250", "user_fg": "#e6e8ec", "muted": "#a3acba", "link": "#8ab4ff",
    "chip_border": "#3f4b66", "rule": "#2c313b", "selected_bg": "#2f5fc4",
    "selected_fg": "#ffffff", "hover": "#262a33",
}  # fmt: skip
#: (foreground, background) pairs the theme test holds to a readable contrast.
TEXT_PAIRS = (("user_fg", "user_bg"), ("selected_fg", "selected_bg"))


def chat_style_sheet(dark: bool = False) -> str:
    c = DARK if dark else LIGHT
    return f"""
#transcript, #transcriptBody {{ background: palette(base); }}
#userMessage {{ background: {c["user_bg"]}; border-radius: 12px; }}
#userMessage QLabel {{ color: {c["user_fg"]}; }}
#userMessage[editing="true"] {{ border: 2px solid {c["link"]}; }}
#answerBody, #openingStatement {{ background: transparent; }}
#answerMeta, #contextLabel, #speedLabel, #appDescription, #modelLabel {{
    color: {c["muted"]};
}}
#citationChip {{ color: {c["link"]}; text-align: left; padding: 2px 6px; }}
#suggestedQuestion {{
    background: palette(base); border: 1px solid {c["chip_border"]}; border-radius: 14px;
    padding: 5px 14px; text-align: left;
}}
#suggestedQuestion:hover {{ background: {c["hover"]}; }}
#chatSidebar {{ border-right: 1px solid {c["rule"]}; }}
#conversationList {{ border: none; background: transparent; }}
#conversationList::item {{ padding: 6px 4px; border-radius: 6px; }}
#conversationList::item:selected {{
    background: {c["selected_bg"]}; color: {c["selected_fg"]};
}}
#conversationList::item:hover:!selected {{ background: {c["hover"]}; }}
"""


CHAT_STYLE_SHEET = chat_style_sheet(False)
