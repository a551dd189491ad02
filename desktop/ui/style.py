"""The application style sheet: calm, roomy, one accent colour. Widgets opt in through
object names and dynamic properties (``primary``, ``kind``), never inline colours.
Object names are Kura's own: Qt's file dialog has a child named ``sidebar``, so a rule
for a plain ``#sidebar`` painted it navy (tests/gui/test_layout_fit.py checks)."""

from __future__ import annotations

ACCENT = "#3b6fd8"

STYLE_SHEET = f"""
QWidget {{ font-size: 10pt; }}
QFrame#kuraNavigation {{ background: #1f2430; }}
QFrame#kuraNavigation QPushButton {{
    color: #c9d1e0; background: transparent; border: none; text-align: left;
    padding: 9px 14px; border-radius: 6px; margin: 1px 8px;
}}
QFrame#kuraNavigation QPushButton:hover {{ background: #2c3342; }}
QFrame#kuraNavigation QPushButton:checked {{ background: {ACCENT}; color: white; }}
#sidebarTitle {{ color: white; font-size: 15pt; font-weight: 600; padding: 14px 16px 10px; }}
#sidebarUser {{ color: #8e98ab; padding: 6px 16px; }}
QPushButton[primary="true"] {{
    background: {ACCENT}; color: white; border: none; border-radius: 6px; padding: 6px 16px;
}}
QPushButton[primary="true"]:disabled {{ background: #9fb4e0; }}
QPushButton[danger="true"] {{ color: #b3261e; }}
#inlineMessage {{ padding: 6px 10px; border-radius: 6px; }}
#inlineMessage[kind="error"] {{ background: #fdecea; color: #8c1d18; }}
#inlineMessage[kind="info"] {{ background: #e8f0fe; color: #1a3c7a; }}
#pageTitle {{ font-size: 16pt; font-weight: 600; }}
#emptyState {{ color: #6b7280; font-size: 11pt; padding: 24px; }}
#lockCard, #wizardCard {{ background: palette(base); border-radius: 12px; }}
"""
