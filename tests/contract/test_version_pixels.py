"""What a version's pixels say (workflows/version_pixels.py: the viewer's and `vault info`'s one
measure) on every face: the bytes come back through the store (a server's are spooled to a file),
decode as stored, and give the seam score and the colour space with its reason."""

from __future__ import annotations

import numpy as np
import texture_files as tf

from server_api.workflows.importing import import_paths
from server_api.workflows.version_pixels import measure_version


def test_a_version_is_measured_through_every_face(face, tmp_path):
    store = face.user("olivia")
    collection = store.create_collection("Measure")
    src = tmp_path / "src"
    src.mkdir()
    tf.save_png(src / "wall_height.png", tf.seamless(96, 64), bits=16)
    tf.save_exr(src / "ramp_albedo.exr", tf.hard_edge(64, 64) * 3, "float", tiled=True)
    results = {r.path.rsplit("/", 1)[-1]: r for r in import_paths(store, collection.id, [src])}

    height = store.get_texture(results["wall_height.png"].texture_id)
    measured = measure_version(store, height.current.id, height.name)
    assert measured.pixels.array.dtype == np.uint16
    assert (measured.pixels.width, measured.pixels.height) == (96, 64)
    assert measured.seam.worst() < 1.5
    assert (measured.colour.space, measured.colour.why) == ("srgb", "PNG sRGB chunk")  # OpenImageIO wrote it

    ramp = store.get_texture(results["ramp_albedo.exr"].texture_id)
    measured = measure_version(store, ramp.current.id, ramp.name)
    assert measured.pixels.is_float and measured.seam.worst() >= 2
    assert measured.colour.space == "linear"  # float data wins over the albedo role
