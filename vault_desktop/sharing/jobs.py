"""The lanes, as seen by one dialog: jobs it started can all be dropped when it closes.

A dialog deletes itself on close while a listing or a change may still be running; its result
must then land nowhere (the widgets are gone). Cancelling the TaskHandle makes the runner drop it.
"""

from __future__ import annotations

from vault_desktop.tasks import TaskHandle


class DialogJobs:
    def __init__(self, lanes):
        self._lanes = lanes
        self._handles: list[TaskHandle] = []

    def read(self, fn, *args, **kwargs) -> TaskHandle:
        return self._keep(self._lanes.reads.submit(fn, *args, **kwargs))

    def write(self, fn, *args, **kwargs) -> TaskHandle:
        return self._keep(self._lanes.writes.submit(fn, *args, **kwargs))

    def cancel_all(self) -> None:
        for handle in self._handles:
            handle.cancel()
        self._handles.clear()

    def _keep(self, handle: TaskHandle) -> TaskHandle:
        self._handles = [h for h in self._handles if not h.cancelled]
        self._handles.append(handle)
        return handle
