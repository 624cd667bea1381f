"""What a caller hands the engine to store, and how it hears about the bytes moving."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import BinaryIO, Union

# A file to store: a path on this machine, or a readable binary stream.
Source = Union[str, "os.PathLike[str]", BinaryIO]
# Called with (bytes_done, bytes_total_or_None) while bytes move; must be cheap.
Progress = Callable[[int, "int | None"], None]
