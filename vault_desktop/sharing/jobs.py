"""The lanes, as seen by one owner (a dialog, the upload queue): its jobs can all be dropped at once.

A dialog deletes itself on close, and the window takes the upload pane with it, while a listing or
an upload may still be running; its result must then land nowhere (the widgets are gone).
Cancelling a TaskHandle makes the runner drop the result, and a running job that polls
``cancelled`` stops early.
"""

from __future__ import annotations

import traceback

from vault_desktop.tasks import TaskHandle


class OwnedJobs:
    def __init__(self, lanes):
        self._lanes = lanes
        self._live: set[TaskHandle] = set()

    def read(self, fn, *args, **kwargs) -> TaskHandle:
        return self._submit(self._lanes.reads, fn, *args, **kwargs)

    def write(self, fn, *args, **kwargs) -> TaskHandle:
        return self._submit(self._lanes.writes, fn, *args, **kwargs)

    def cancel_all(self) -> None:
        for handle in self._live:
            handle.cancel()
        self._live.clear()

    def drop_when_destroyed(self, owner) -> None:
        """Cancel everything when the QObject ``owner`` is deleted (only this plain object is kept)."""
        owner.destroyed.connect(lambda *_args, jobs=self: jobs.cancel_all())

    def _submit(self, runner, fn, *args, on_done=None, on_error=None, **kwargs) -> TaskHandle:
        slot: list[TaskHandle] = []

        def done(value) -> None:
            self._live.discard(slot[0])
            if on_done is not None:
                on_done(value)

        def failed(exc: BaseException) -> None:
            self._live.discard(slot[0])
            if on_error is not None:
                on_error(exc)
            else:  # nobody listens: do not swallow it silently (as the runner itself does)
                traceback.print_exception(exc)

        handle = runner.submit(fn, *args, on_done=done, on_error=failed, **kwargs)
        slot.append(handle)
        self._live.add(handle)
        return handle
