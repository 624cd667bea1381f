"""`vault info TEXTURE_ID [--json]` in a real subprocess: the current version's metadata, colour
space with its reason and the seam score per axis, for an 8-bit sRGB-chunk PNG, a role-judged map, a
hard-edged texture and a half-float EXR; a missing texture exits 1 naming it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import texture_files as tf
from PIL import Image

REPO = Path(__file__).resolve().parents[2]


def _vault(vault_dir, *args) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("VAULT", None)
    return subprocess.run([sys.executable, "-m", "server_api.cli.vault", "--vault", str(vault_dir),
                           *map(str, args)], capture_output=True, text=True, env=env, timeout=120)


def test_info_prints_metadata_colour_space_and_seam(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    Image.fromarray((tf.seamless(128, 128) * 255).astype("uint8")).save(src / "a_tiles_roughness.png")
    tf.save_png(src / "b_ramp.png", tf.hard_edge(128, 128), bits=16)  # OpenImageIO writes an sRGB chunk
    tf.save_exr(src / "c_sky.exr", tf.seamless(64, 32) * 5, "half")
    vault_dir = tmp_path / "vault"
    assert _vault(vault_dir, "init").returncode == 0
    assert _vault(vault_dir, "collection", "create", "Info").returncode == 0
    imported = _vault(vault_dir, "import", "--collection", "Info", "--json", src)
    lines = map(json.loads, imported.stdout.splitlines())
    ids = {Path(line["path"]).name: line["texture_id"] for line in lines}

    rough = json.loads(_vault(vault_dir, "info", ids["a_tiles_roughness.png"], "--json").stdout)
    assert rough["colour_space"] == "linear" and "roughness map is data" in rough["colour_space_why"]
    assert rough["seam"]["x"] < 1.5 and rough["seam"]["y"] < 1.5
    assert (rough["version"]["width"], rough["texture"]["name"]) == (128, "a_tiles_roughness.png")

    ramp = json.loads(_vault(vault_dir, "info", ids["b_ramp.png"], "--json").stdout)
    assert (ramp["colour_space"], ramp["colour_space_why"]) == ("srgb", "PNG sRGB chunk")
    assert ramp["seam"]["x"] >= 2 and ramp["seam"]["y"] >= 2 and ramp["version"]["bit_depth"] == 16

    sky = json.loads(_vault(vault_dir, "info", ids["c_sky.exr"], "--json").stdout)
    assert sky["colour_space"] == "linear" and sky["version"]["format"] == "EXR"
    assert sky["version"]["bit_depth"] == 16 and sky["version"]["mode"] == "RGB float"

    text = _vault(vault_dir, "info", ids["b_ramp.png"])
    assert text.returncode == 0 and "colour space: sRGB (PNG sRGB chunk)" in text.stdout
    assert "visible seam" in text.stdout
    missing = _vault(vault_dir, "info", 999)
    assert missing.returncode == 1 and "999" in missing.stderr
