"""The one way to run work off the GUI thread.

A job is a plain function: plain arguments in, a plain value out; it never touches a widget or a
model. Its result (or exception) comes back to the GUI thread through a queued signal, where the
``on_done`` / ``on_error`` callbacks run. A cancelled job that has not started never runs, and a
cancelled job's result is dropped. Receivers must still check that what they asked for exists.

Lanes (see ``Lanes``): ``reads`` runs metadata, thumbnail and listing jobs in parallel;
``writes`` runs store writes and uploads one at a time, in order.
(Shape borrowed from Picard's picard/util/thread.py and Orange's concurrent utilities.)
"""

from __future__ import annotations

import os
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

Callback = Callable[[Any], None]
GUI_SWITCH_INTERVAL_S = 0.001


class TaskHandle:
    """Lets the submitter cancel a job; a long job may poll ``cancelled`` to stop early."""

    def __init__(self) -> None:
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()


class _Relay(QObject):
    """Lives in the GUI thread; signals emitted from a worker are delivered there (queued).

    Every job emits exactly one of done / failed / skipped, and all bookkeeping (forgetting the
    relay, deleting it) happens here on the GUI thread after delivery: a worker never touches a
    relay after its one emit, so a runner torn down meanwhile cannot leave it a deleted object.
    """

    done = Signal(object)
    failed = Signal(object)
    skipped = Signal()

    def __init__(self, handle: TaskHandle, on_done: Callback | None, on_error: Callback | None,
                 release: Callable[[_Relay], None], parent: QObject | None = None):
        # A child of its runner: when the runner (and the window owning it) is gone, results still
        # queued for it are discarded with it instead of calling into deleted widgets.
        super().__init__(parent)
        self._handle = handle
        self._on_done = on_done
        self._on_error = on_error
        self._release = release
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_error)
        self.skipped.connect(self._finish)

    @Slot(object)
    def _deliver_done(self, value: Any) -> None:
        try:
            if not self._handle.cancelled and self._on_done is not None:
                self._on_done(value)
        finally:
            self._finish()

    @Slot(object)
    def _deliver_error(self, exc: BaseException) -> None:
        try:
            if self._handle.cancelled:
                return
            if self._on_error is not None:
                self._on_error(exc)
            else:  # nobody listens: do not swallow it silently
                traceback.print_exception(exc)
        finally:
            self._finish()

    @Slot()
    def _finish(self) -> None:
        self._release(self)
        self.deleteLater()


class _Job(QRunnable):
    def __init__(self, fn: Callable[..., Any], args, kwargs, handle: TaskHandle, relay: _Relay):
        super().__init__()
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._handle, self._relay = handle, relay

    def run(self) -> None:
        relay, self._relay = self._relay, None  # this thread holds no reference after its emit
        try:
            if self._handle.cancelled:
                relay.skipped.emit()
                return
            try:
                value = self._fn(*self._args, **self._kwargs)
            except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
                relay.failed.emit(exc)
            else:
                relay.done.emit(value)
        except RuntimeError:
            pass  # the runner (and with it the relay) was deleted while we ran: nobody to tell


class TaskRunner(QObject):
    """A bounded pool of threads. ``max_threads=1`` makes an ordered, one-at-a-time lane."""

    def __init__(self, max_threads: int, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max(1, max_threads))
        self._live: set[_Relay] = set()  # relays whose result is not delivered yet (GUI thread only)

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callback | None = None,
        on_error: Callback | None = None,
        **kwargs: Any,
    ) -> TaskHandle:
        """Run ``fn(*args, **kwargs)`` on a worker thread. Call from the GUI thread."""
        handle = TaskHandle()
        relay = _Relay(handle, on_done, on_error, self._live.discard, self)
        self._live.add(relay)
        self._pool.start(_Job(fn, args, kwargs, handle, relay))
        return handle

    def wait(self, msecs: int = -1) -> bool:
        """Block until every job finished (tests and shutdown only)."""
        return self._pool.waitForDone(msecs)

    def clear(self) -> None:
        """Drop jobs that have not started yet."""
        self._pool.clear()

    def active_count(self) -> int:
        return self._pool.activeThreadCount()

    def undelivered_count(self) -> int:
        """Jobs whose result (or skip) has not been handed back on the GUI thread yet."""
        return len(self._live)


class SyncRunner:
    """Same API, runs each job at once in the caller's thread: for tests where threads add nothing."""

    def submit(self, fn, *args, on_done=None, on_error=None, **kwargs) -> TaskHandle:
        handle = TaskHandle()
        try:
            value = fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            if on_error is None:
                raise
            on_error(exc)
        else:
            if on_done is not None:
                on_done(value)
        return handle

    def wait(self, msecs: int = -1) -> bool:
        return True

    def clear(self) -> None:
        pass

    def active_count(self) -> int:
        return 0


class Lanes(QObject):
    """The app's two lanes: parallel reads (metadata, thumbnails, listing) and one ordered write lane."""

    def __init__(self, parent: QObject | None = None, reads: int | None = None):
        super().__init__(parent)
        # Workers run Python (SQL rows, entity building) beside the GUI thread, and PySide releases
        # the GIL around Qt calls: with the default 5 ms switch interval every paint call may wait
        # 5 ms to get the GIL back (a convoy). 1 ms keeps frames short at a small throughput cost.
        sys.setswitchinterval(min(sys.getswitchinterval(), GUI_SWITCH_INTERVAL_S))
        self.reads = TaskRunner(reads or max(2, os.cpu_count() or 2), self)
        self.writes = TaskRunner(1, self)

    def wait(self, msecs: int = -1) -> bool:
        return self.reads.wait(msecs) and self.writes.wait(msecs)


class OwnedJobs:
    """The lanes as seen by one owner (a dialog, the upload queue): its jobs can all be dropped at once.

    A dialog deletes itself on close, and the window takes the upload pane with it, while a listing
    or an upload may still be running; its result must then land nowhere (the widgets are gone).
    Cancelling a TaskHandle makes the runner drop the result; a running job polling ``cancelled``
    stops early.
    """

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
