"""The application style sheet and theme: calm, roomy, one accent colour, light or dark.
Widgets opt in through object names and dynamic properties (``primary``, ``kind``),
never inline colours. Object names are Kura's own: Qt's file dialog has a child named
``sidebar``, so a rule for a plain ``#sidebar`` painted it navy (tests/gui/
test_layout_fit.py checks).

The theme is each user's preference (system, light, dark): :func:`apply_theme` sets the
palette and this style sheet, from the colours in :data:`LIGHT` or :data:`DARK`, whose
text/background pairs a test holds to a readable contrast."""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

ACCENT = "#3b6fd8"
THEMES = ("system", "light", "dark")

LIGHT = {
    "nav_bg": "#1f2430", "nav_fg": "#c9d1e0", "nav_hover": "#2c3342", "nav_user": "#8e98ab",
    "error_bg": "#fdecea", "error_fg": "#8c1d18", "info_bg": "#e8f0fe", "info_fg": "#1a3c7a",
    "muted": "#6b7280", "danger": "#b3261e", "primary_off": "#9fb4e0", "accent": ACCENT,
    "accent_fg": "#ffffff",
}  # fmt: skip
DARK = {
    "nav_bg": "#15181f", "nav_fg": "#c9d1e0", "nav_hover": "#262c38", "nav_user": "#9aa4b6",
    "error_bg": "#4a1c1a", "error_fg": "#ffdad6", "info_bg": "#1c2b4a", "info_fg": "#d6e3ff",
    "muted": "#a3acba", "danger": "#ffb4ab", "primary_off": "#3a4a6b", "accent": "#2f5fc4",
    "accent_fg": "#ffffff",
}  # fmt: skip
#: The palette of the dark theme (the light one is the system's or Fusion's own).
DARK_PALETTE = {
    QPalette.ColorRole.Window: "#1e2128",
    QPalette.ColorRole.WindowText: "#e6e8ec",
    QPalette.ColorRole.Base: "#16181d",
    QPalette.ColorRole.AlternateBase: "#262a33",
    QPalette.ColorRole.Text: "#e6e8ec",
    QPalette.ColorRole.Button: "#2a2e37",
    QPalette.ColorRole.ButtonText: "#e6e8ec",
    QPalette.ColorRole.ToolTipBase: "#2a2e37",
    QPalette.ColorRole.ToolTipText: "#e6e8ec",
    QPalette.ColorRole.PlaceholderText: "#8d96a5",
    QPalette.ColorRole.Highlight: "#2f5fc4",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#8ab4ff",
    QPalette.ColorRole.BrightText: "#ffffff",
    QPalette.ColorRole.Mid: "#4a505c",
    QPalette.ColorRole.Dark: "#101216",
    QPalette.ColorRole.Light: "#3a3f4a",
}
#: (foreground, background) colour keys that must read well in both themes.
TEXT_PAIRS = (
    ("nav_fg", "nav_bg"), ("nav_user", "nav_bg"), ("error_fg", "error_bg"),
    ("info_fg", "info_bg"), ("accent_fg", "accent"),
)  # fmt: skip


def style_sheet(dark: bool = False) -> str:
    c = DARK if dark else LIGHT
    return f"""
QWidget {{ font-size: 10pt; }}
QFrame#kuraNavigation {{ background: {c["nav_bg"]}; }}
QFrame#kuraNavigation QPushButton {{
    color: {c["nav_fg"]}; background: transparent; border: none; text-align: left;
    padding: 9px 14px; border-radius: 6px; margin: 1px 8px;
}}
QFrame#kuraNavigation QPushButton:hover {{ background: {c["nav_hover"]}; }}
QFrame#kuraNavigation QPushButton:checked {{ background: {c["accent"]}; color: white; }}
#sidebarTitle {{ color: white; font-size: 15pt; font-weight: 600; padding: 14px 16px 10px; }}
#sidebarUser {{ color: {c["nav_user"]}; padding: 6px 16px; }}
QPushButton[primary="true"] {{
    background: {c["accent"]}; color: white; border: none; border-radius: 6px;
    padding: 6px 16px;
}}
QPushButton[primary="true"]:disabled {{ background: {c["primary_off"]}; }}
QPushButton[danger="true"] {{ color: {c["danger"]}; }}
#inlineMessage {{ padding: 6px 10px; border-radius: 6px; }}
#inlineMessage[kind="error"] {{ background: {c["error_bg"]}; color: {c["error_fg"]}; }}
#inlineMessage[kind="info"] {{ background: {c["info_bg"]}; color: {c["info_fg"]}; }}
#pageTitle {{ font-size: 16pt; font-weight: 600; }}
#emptyState {{ color: {c["muted"]}; font-size: 11pt; padding: 24px; }}
#lockCard, #wizardCard {{ background: palette(base); border-radius: 12px; }}
"""


STYLE_SHEET = style_sheet(False)
_SYSTEM: list[tuple[str, QPalette]] = []  # the platform's style and palette, kept once


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in DARK_PALETTE.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6f7785"))
    return palette


def is_dark() -> bool:
    """Whether the application paints dark (text lighter than its background)."""
    palette = QGuiApplication.palette()
    return palette.text().color().lightness() > palette.base().color().lightness()


def apply_theme(app: QApplication, theme: str) -> bool:
    """Paint ``app`` in ``theme`` (system, light or dark); True when it is now dark.
    "system" is the platform's own palette and style, as they were at the first call."""
    style = app.style()
    if not _SYSTEM:
        _SYSTEM.append((style.name() if style is not None else "", QPalette(app.palette())))
    name, palette = _SYSTEM[0]
    system_dark = palette.text().color().lightness() > palette.base().color().lightness()
    if theme == "dark" or (theme == "system" and system_dark):
        app.setStyle("Fusion")
        app.setPalette(dark_palette() if theme == "dark" else palette)
    elif theme == "light" and system_dark:
        app.setStyle("Fusion")
        fusion = app.style()
        app.setPalette(fusion.standardPalette() if fusion is not None else palette)
    else:
        if name:
            app.setStyle(name)
        app.setPalette(palette)
    dark = is_dark()
    app.setStyleSheet(style_sheet(dark))
    return dark
