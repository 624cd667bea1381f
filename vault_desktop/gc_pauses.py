"""Keep Python's garbage collector from freezing the GUI.

A full (generation 2) collection walks every tracked object: with 100,000 grid rows and the app's
own objects that is 100+ ms on the GUI thread, a visible hitch mid-scroll. ``gc.freeze()`` moves
what is alive now out of the collector's sight; those objects are still freed by reference counting
when dropped (only reference cycles among them would wait), so memory does not grow.
"""

from __future__ import annotations

import atexit
import gc

_unfreeze_at_exit = False


def settle() -> None:
    """Call once things that will live long exist (the window is built, a collection is loaded)."""
    global _unfreeze_at_exit
    gc.collect(1)  # young garbage goes first, so it is not frozen with the rest
    gc.freeze()
    if not _unfreeze_at_exit:
        # Frozen objects escape the interpreter's last collection too: OpenImageIO's nanobind module
        # then reports them as "nanobind: leaked N instances" at exit. Hand them back first.
        atexit.register(gc.unfreeze)
        _unfreeze_at_exit = True
