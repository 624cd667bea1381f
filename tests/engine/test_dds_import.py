"""The DDS compressions the README says import: real files written by Pillow, imported through the
probe and thumbnail path with their size, mode and alpha."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from server_api import imaging


@pytest.mark.parametrize(("pixel_format", "mode", "expected_mode"), [
    ("DXT1", "RGBA", "RGBA"), ("DXT3", "RGBA", "RGBA"), ("DXT5", "RGBA", "RGBA"), ("BC5", "RGB", "RGB"),
    (None, "RGBA", "RGBA"), (None, "RGB", "RGB"), (None, "L", "L"),
])
def test_dds_compressions_import(tmp_path, pixel_format, mode, expected_mode):
    image = Image.effect_noise((64, 48), 40).convert(mode)
    path = tmp_path / f"{pixel_format or 'raw'}.dds"
    image.save(path, "DDS", **({"pixel_format": pixel_format} if pixel_format else {}))
    info, thumb = imaging.analyze(path)
    assert (info.format, info.width, info.height, info.mode) == ("DDS", 64, 48, expected_mode)
    with Image.open(io.BytesIO(thumb.data)) as small:
        assert small.size == (64, 48)
