"""Paints one grid tile: the thumbnail centred in a square, the name and a grey subtitle below.

Transparent parts show a checkerboard (baked into the scaled pixmap once, so a frame stays a plain
copy). Names are elided at their start: "…wall_albedo.png" keeps the suffix that tells maps apart.

Painting runs for every visible tile on every scroll frame, in Python, so everything that can be
made once is: tile backgrounds are cached pixmaps, texts are cached QStaticText, flags are constants.
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPixmap, QStaticText
from PySide6.QtWidgets import QStyle, QStyledItemDelegate

from vault_desktop.checkerboard import over_checkerboard
from vault_desktop.models.roles import QaRole, SubtitleRole, TagsRole, TextureIdRole, ThumbnailRole
from vault_desktop.theme import current_theme, paint_color

PADDING = 8
MARGIN = 3  # gap between tiles, on each side
TEXT_LINES_HEIGHT = 38
SCALED_BUDGET_BYTES = 32 * 1024 * 1024
TEXT_CACHE_ITEMS = 4000
SELECTED = QStyle.StateFlag.State_Selected
ELIDE_LEFT, ELIDE_RIGHT = Qt.TextElideMode.ElideLeft, Qt.TextElideMode.ElideRight
BADGE_BACK = QColor(0, 0, 0, 180)  # readable on any thumbnail, light or dark
CHIPS_FROM_SIDE = 192  # tag chips only where a tile has room for them
MAX_CHIPS = 3
# the current version's review status (issue 16), on the thumbnail's other corner
REVIEW_BADGES = {"needs_review": ("Review", QColor(183, 121, 31, 230)),
                 "approved": ("Approved", QColor(47, 133, 90, 230)),
                 "changes_requested": ("Changes", QColor(197, 48, 48, 230))}
# QA findings (issue 13), top-right of the thumbnail: errors red, warnings amber; from the listing
QA_ERROR, QA_WARNING = QColor(197, 48, 48, 235), QColor(183, 121, 31, 235)


class TileDelegate(QStyledItemDelegate):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._side = 160
        # Thumbnails scaled to the tile size, keyed by (source cacheKey, side): scaling 256 px
        # pixmaps on every paint would cost most of a frame.
        self._scaled: OrderedDict[tuple[int, int], QPixmap] = OrderedDict()
        self._texts: OrderedDict[tuple[str, int, bool], tuple[QStaticText, int, QFont]] = OrderedDict()
        self._backgrounds: dict[tuple, QPixmap] = {}
        self.badges: dict[int, str] = {}  # texture id -> its role in a material ("N", "BC" ...)
        self.review_badges: dict[int, str] = {}  # texture id -> its current version's review status

    def set_tile_side(self, side: int) -> None:
        self._side = side
        self._scaled.clear()
        self._texts.clear()
        self._backgrounds.clear()

    def tile_size(self) -> QSize:
        return QSize(self._side + 2 * PADDING + 2 * MARGIN, self._side + 2 * PADDING + TEXT_LINES_HEIGHT)

    def sizeHint(self, option, index) -> QSize:
        return self.tile_size()

    def paint(self, painter: QPainter, option, index) -> None:
        rect = option.rect
        selected = bool(option.state & SELECTED)
        painter.drawPixmap(rect.left() + MARGIN, rect.top() + MARGIN,
                           self._background(rect.width() - 2 * MARGIN, rect.height() - 2 * MARGIN, selected))
        side = self._side
        left = rect.left() + (rect.width() - side) // 2
        top = rect.top() + PADDING
        pixmap = index.data(ThumbnailRole)
        if isinstance(pixmap, QPixmap) and not pixmap.isNull():
            scaled = self._scaled_pixmap(pixmap)
            x, y = left + (side - scaled.width()) // 2, top + (side - scaled.height()) // 2
            painter.drawPixmap(x, y, scaled)
        else:
            painter.fillRect(QRect(left, top, side, side), paint_color("placeholder"))
        badge = self.badges.get(index.data(TextureIdRole)) if self.badges else None
        if badge:
            self._draw_badge(painter, option.font, badge, left + 4, top + 4)
        if side >= CHIPS_FROM_SIDE:
            tags = index.data(TagsRole)
            if tags:
                self._draw_chips(painter, option.font, tags, left + 4, top + side - 21, side - 8)
        status = self.review_badges.get(index.data(TextureIdRole)) if self.review_badges else None
        if status in REVIEW_BADGES:
            text, colour = REVIEW_BADGES[status]
            width = QFontMetrics(option.font).horizontalAdvance(text) + 10
            self._draw_badge(painter, option.font, text, left + side - width - 4, top + 4, colour)
        qa = index.data(QaRole)
        if qa:
            below_review = 21 if status in REVIEW_BADGES else 0  # top-right, under a review badge
            self._draw_qa(painter, option.font, qa, left + side - 4, top + 4 + below_review)
        width = rect.width() - 2 * PADDING - 2 * MARGIN
        text_top = top + side + 6
        self._draw_text(painter, option.font, index.data() or "", False, rect, width, text_top)
        sub = index.data(SubtitleRole)
        if sub:
            self._draw_text(painter, option.font, sub, True, rect, width, text_top + 17)

    def _draw_badge(self, painter: QPainter, font: QFont, text: str, x: int, y: int,
                    back: QColor = BADGE_BACK) -> None:
        """A map's role in its material (or a review status), on a corner of the thumbnail."""
        width = QFontMetrics(font).horizontalAdvance(text) + 10
        painter.fillRect(QRect(x, y, width, 17), back)
        painter.setPen(Qt.GlobalColor.white)
        painter.drawText(QRect(x, y, width, 17), Qt.AlignmentFlag.AlignCenter, text)

    def _draw_qa(self, painter: QPainter, font: QFont, qa: tuple[int, int], right: int, y: int) -> None:
        """"QA ✕1 ⚠2" ending at ``right``: red while any error, amber for warnings only."""
        errors, warnings = qa
        text = "QA " + " ".join(part for part in (f"✕{errors}" if errors else "",
                                                   f"⚠{warnings}" if warnings else "") if part)
        width = QFontMetrics(font).horizontalAdvance(text) + 10
        self._draw_badge(painter, font, text, right - width, y, QA_ERROR if errors else QA_WARNING)

    def _draw_chips(self, painter: QPainter, font: QFont, tags, x: int, y: int, room: int) -> None:
        """The first tags as chips along the thumbnail's bottom edge; "+2" when more do not fit."""
        metrics = QFontMetrics(font)
        for i, tag in enumerate(tags[:MAX_CHIPS]):
            left_over = len(tags) - i
            text = f"#{tag}"
            width = min(metrics.horizontalAdvance(text) + 10, room)
            more = f"+{left_over - 1}" if left_over > 1 else ""
            if width + (metrics.horizontalAdvance(more) + 10 if more else 0) > room and i > 0:
                text, width = f"+{left_over}", metrics.horizontalAdvance(f"+{left_over}") + 10
                self._draw_badge(painter, font, text, x, y)
                return
            shown = metrics.elidedText(text, ELIDE_RIGHT, width - 10)
            self._draw_badge(painter, font, shown, x, y)
            x, room = x + width + 4, room - width - 4
        if len(tags) > MAX_CHIPS and room > 20:
            self._draw_badge(painter, font, f"+{len(tags) - MAX_CHIPS}", x, y)

    # ---- cached pieces ---------------------------------------------------------------------
    def _background(self, w: int, h: int, selected: bool) -> QPixmap:
        key = (w, h, selected, current_theme())
        pix = self._backgrounds.get(key)
        if pix is None:
            pix = QPixmap(w, h)
            pix.fill(paint_color("base"))  # opaque corners: an opaque blit is a plain copy, no blending
            p = QPainter(pix)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(paint_color("tile_selected" if selected else "tile"))
            p.drawRoundedRect(QRect(0, 0, w, h), 6, 6)
            p.end()
            self._backgrounds[key] = pix
        return pix

    def _draw_text(self, painter: QPainter, font: QFont, text: str, small: bool, rect: QRect,
                   width: int, top: int) -> None:
        key = (text, width, small)
        cached = self._texts.get(key)
        if cached is None:
            font = QFont(font)  # a copy: the option's font dies with the option
            if small:
                font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
            metrics = QFontMetrics(font)
            shown = (metrics.elidedText(text, ELIDE_RIGHT, width) if small
                     else elided_name(text, metrics, width))
            static = QStaticText(shown)
            static.prepare(font=font)
            cached = (static, metrics.horizontalAdvance(shown), font)
            self._texts[key] = cached
            if len(self._texts) > TEXT_CACHE_ITEMS:
                self._texts.popitem(last=False)
        static, advance, text_font = cached
        painter.setFont(text_font)
        painter.setPen(paint_color("subtle" if small else "text"))
        painter.drawStaticText(QPoint(rect.left() + (rect.width() - advance) // 2, top), static)

    def _scaled_pixmap(self, pixmap: QPixmap) -> QPixmap:
        key = (pixmap.cacheKey(), self._side)
        scaled = self._scaled.get(key)
        if scaled is not None:
            self._scaled.move_to_end(key)
            return scaled
        scaled = pixmap.scaled(self._side, self._side, Qt.AspectRatioMode.KeepAspectRatio,
                               Qt.TransformationMode.SmoothTransformation)
        if scaled.hasAlphaChannel():
            scaled = over_checkerboard(scaled)
        self._scaled[key] = scaled
        while len(self._scaled) * self._side * self._side * 4 > SCALED_BUDGET_BYTES:
            self._scaled.popitem(last=False)  # least recently drawn first
        return scaled


def elided_name(name: str, metrics: QFontMetrics, width: int) -> str:
    """Cut at the start: "…wall_albedo.png", never "castle_o…o.png" (the suffix names the map)."""
    return metrics.elidedText(name, ELIDE_LEFT, width)
