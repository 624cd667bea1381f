"""Dark (default) and light themes: a Fusion base palette plus a stylesheet from ``resources``."""

from __future__ import annotations

from importlib import resources

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("dark", "light")

# Colours the delegates paint with (they draw by hand, so the stylesheet cannot reach them).
_PAINT = {
    "dark": {"tile": "#26272b", "tile_selected": "#34537f", "text": "#e6e6e6", "subtle": "#9ea3ab",
             "placeholder": "#303237", "accent": "#5a8ad6", "published": "#4caf7a",
             "base": "#1a1b1e"},
    "light": {"tile": "#ffffff", "tile_selected": "#c8dbf5", "text": "#1f2023", "subtle": "#5f636b",
              "placeholder": "#e4e5e8", "accent": "#3b73c4", "published": "#2e8b57",
              "base": "#e6e7ea"},
}
_current = "dark"
_colors: dict[tuple[str, str], QColor] = {}


def stylesheet(name: str) -> str:
    if name not in THEMES:
        raise ValueError(f"unknown theme {name!r}; choose one of {', '.join(THEMES)}")
    return resources.files("resources").joinpath(f"{name}.qss").read_text(encoding="utf-8")


def apply_theme(app: QApplication, name: str) -> None:
    """Switch the whole application to theme ``name`` ("dark" or "light")."""
    global _current
    sheet = stylesheet(name)
    app.setStyle("Fusion")
    app.setPalette(_palette(name))
    app.setStyleSheet(sheet)
    _current = name


def current_theme() -> str:
    return _current


def paint_color(role: str) -> QColor:
    """A colour for hand-painted items (grid tiles, timeline rows) in the current theme."""
    key = (_current, role)
    color = _colors.get(key)
    if color is None:  # made once: delegates ask for colours on every paint of every tile
        color = _colors[key] = QColor(_PAINT[_current][role])
    return color


def _palette(name: str) -> QPalette:
    colors = _PAINT[name]
    pal = QPalette()
    dark = name == "dark"
    window = QColor("#202124" if dark else "#f4f4f5")
    base = QColor(colors["base"])
    pal.setColor(QPalette.ColorRole.Window, window)
    pal.setColor(QPalette.ColorRole.Base, base)
    pal.setColor(QPalette.ColorRole.AlternateBase, QColor(colors["tile"]))
    pal.setColor(QPalette.ColorRole.Button, QColor(colors["tile"]))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        pal.setColor(role, QColor(colors["text"]))
    pal.setColor(QPalette.ColorRole.PlaceholderText, QColor(colors["subtle"]))
    pal.setColor(QPalette.ColorRole.Highlight, QColor(colors["tile_selected"]))
    pal.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff" if dark else "#101114"))
    return pal
