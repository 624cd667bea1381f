"""Stored pixel values → 8-bit display pixels: channel views, exposure, flip green, the sRGB curve,
and an automatic tone map for HDR thumbnails. Pure numpy, safe on any thread.

Integers are scaled by their full range (255 or 65535) and shown as stored (an sRGB base colour is
already encoded; a linear data map is shown as data). Floats (EXR, HDR) are linear light: exposure
multiplies them and the sRGB curve encodes them for the screen.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CHANNEL_VIEWS = ("RGB", "R", "G", "B", "A", "L")  # L: Rec. 709 luminance
_LUMA = np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)
_LUT_SIZE = 16384  # linear → sRGB lookup: far cheaper than pow() per pixel, exact to 8 bits
_SRGB_LUT = None


@dataclass(frozen=True)
class DisplaySettings:
    channel: str = "RGB"  # one of CHANNEL_VIEWS
    exposure: float = 0.0  # stops: colour × 2**exposure
    flip_green: bool = False  # show a DirectX normal map as OpenGL (or back)
    encode_srgb: bool = False  # linear colour shown through the sRGB curve (float data)

    def __post_init__(self) -> None:
        if self.channel not in CHANNEL_VIEWS:
            raise ValueError(f"channel view must be one of {', '.join(CHANNEL_VIEWS)}, not {self.channel!r}")


def full_scale(dtype: np.dtype) -> float:
    """What 1.0 is in stored units: 255, 65535, or 1.0 for floats."""
    return float(np.iinfo(dtype).max) if np.issubdtype(dtype, np.integer) else 1.0


def display_bgra(block: np.ndarray, channels: str, settings: DisplaySettings) -> np.ndarray:
    """H×W×len(channels) stored values → H×W×4 uint8, premultiplied B,G,R,A (Qt's ARGB32 in memory)."""
    values = block.astype(np.float32)
    if full_scale(block.dtype) != 1.0:
        values *= 1.0 / full_scale(block.dtype)
    rgb, alpha = _split(values, channels)
    if settings.flip_green and channels.startswith("RGB"):
        rgb[:, :, 1] = 1.0 - rgb[:, :, 1]
    view = settings.channel
    if view in ("R", "G", "B"):
        rgb = np.repeat(rgb[:, :, "RGB".index(view), None], 3, axis=2)
    elif view == "L":
        rgb = np.repeat((rgb @ _LUMA)[:, :, None], 3, axis=2)
    elif view == "A":
        shown = alpha if alpha is not None else np.ones(rgb.shape[:2], np.float32)
        rgb = np.repeat(shown[:, :, None], 3, axis=2)
    if view != "A":
        if settings.exposure:
            rgb *= np.float32(2.0 ** settings.exposure)
        if settings.encode_srgb:
            rgb = linear_to_srgb(rgb)
    out = np.empty(block.shape[:2] + (4,), np.uint8)
    show_alpha = alpha is not None and view == "RGB"
    if show_alpha:
        rgb = np.clip(rgb, 0.0, 1.0) * np.clip(alpha, 0.0, 1.0)[:, :, None]
    out[:, :, 2::-1] = _to_byte(rgb)
    out[:, :, 3] = _to_byte(alpha) if show_alpha else 255
    return out


def linear_to_srgb(linear: np.ndarray) -> np.ndarray:
    """The sRGB transfer curve (IEC 61966-2-1), clipped to 0..1, through a lookup table."""
    global _SRGB_LUT
    if _SRGB_LUT is None:
        x = np.linspace(0.0, 1.0, _LUT_SIZE, dtype=np.float64)
        curve = np.where(x <= 0.0031308, x * 12.92, 1.055 * np.power(x, 1 / 2.4) - 0.055)
        _SRGB_LUT = curve.astype(np.float32)
    index = (np.clip(np.nan_to_num(linear, nan=0.0), 0.0, 1.0) * (_LUT_SIZE - 1) + 0.5).astype(np.int32)
    return _SRGB_LUT[index]


def tonemap_hdr(values: np.ndarray, channels: str) -> np.ndarray:
    """Float linear light → 8-bit RGB(A) for a thumbnail: exposure set from the log-average luminance
    (0.18 grey, Reinhard's key), highlights rolled off by x/(1+x), then the sRGB curve."""
    values = np.nan_to_num(values.astype(np.float32), nan=0.0, posinf=65504.0, neginf=0.0)
    rgb, alpha = _split(values, channels)
    rgb = np.maximum(rgb, 0.0)
    luminance = rgb @ _LUMA
    key = float(np.exp(np.mean(np.log(luminance + 1e-4))))
    scaled = rgb * np.float32(0.18 / max(key, 1e-4))
    encoded = _to_byte(linear_to_srgb(scaled / (1.0 + scaled)))
    if alpha is None:
        return encoded
    return np.concatenate([encoded, _to_byte(alpha)[:, :, None]], axis=2)


def _split(values: np.ndarray, channels: str) -> tuple[np.ndarray, np.ndarray | None]:
    """(H×W×3 colour, H×W alpha or None) from L, LA, RGB or RGBA values."""
    if values.ndim == 2:
        values = values[:, :, None]
    if channels in ("L", "LA"):
        rgb = np.repeat(values[:, :, :1], 3, axis=2)
    elif channels in ("RGB", "RGBA"):
        rgb = values[:, :, :3].copy()
    else:
        raise ValueError(f"channels must be L, LA, RGB or RGBA, not {channels!r}")
    alpha = values[:, :, -1] if channels.endswith("A") else None
    return rgb, alpha


def _to_byte(values: np.ndarray) -> np.ndarray:
    return (np.clip(values, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
