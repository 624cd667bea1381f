"""Notices an unreachable server and probes it with backoff until it answers again.

Any job that fails with VaultError("unavailable") calls ``report_unavailable``; so does a heartbeat
every HEARTBEAT_MS while a server is open (one quick try of its health probe), so an outage shows
within seconds even when the user is idle. The monitor then
counts down (2 s, 4 s, 8 s … up to 60 s), probes the store off the GUI thread, and emits
``recovered`` once it answers, so the window can refresh itself.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from server_api.core.errors import VaultError

FIRST_DELAY_S = 2
MAX_DELAY_S = 60
HEARTBEAT_MS = 3000


def is_unavailable(exc: BaseException) -> bool:
    return isinstance(exc, VaultError) and exc.code == "unavailable"


def probe(store) -> None:
    """Worker job: the health probe, then a cheap authenticated call, prove the server is back (a
    server's cached face answers current_user from its copy: only ping() asks the server itself)."""
    store.ping()
    store.current_user()


def heartbeat(store) -> None:
    """Worker job: is the server there? One quick try (no retries), so a gone server shows at once."""
    store.ping()


class ConnectionMonitor(QObject):
    wentDown = Signal(str)  # the error message
    countdown = Signal(int)  # seconds until the next probe
    recovered = Signal()

    def __init__(self, runner, parent=None, *, heartbeat_ms: int = HEARTBEAT_MS):
        super().__init__(parent)
        self._runner = runner
        self._store = None
        self._down = False
        self._probing = False
        self._delay = FIRST_DELAY_S
        self._left = 0
        self._generation = 0
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._on_tick)
        self._beating = False  # a heartbeat probe is out
        self._heartbeat = QTimer(self)
        self._heartbeat.setInterval(heartbeat_ms)
        self._heartbeat.timeout.connect(self._beat)

    @property
    def is_down(self) -> bool:
        return self._down

    def set_store(self, store) -> None:
        self._store = store
        self._generation += 1
        self._down = self._probing = self._beating = False
        self._tick.stop()
        if store is not None and store.kind == "remote":  # a local vault cannot go away
            self._heartbeat.start()
        else:
            self._heartbeat.stop()

    def _beat(self) -> None:
        if self._down or self._probing or self._beating or self._store is None:
            return
        self._beating = True
        gen = self._generation

        def answered(exc: BaseException | None) -> None:
            if gen != self._generation:
                return
            self._beating = False
            if exc is not None and is_unavailable(exc):
                self.report_unavailable(exc)

        self._runner.submit(heartbeat, self._store, on_done=lambda _: answered(None), on_error=answered)

    def report_unavailable(self, exc: BaseException) -> None:
        if self._down:
            return
        self._down = True
        self._delay = FIRST_DELAY_S
        self.wentDown.emit(str(exc))
        self._start_countdown()

    def retry_now(self) -> None:
        if self._down and not self._probing:
            self._tick.stop()
            self._probe()

    def _start_countdown(self) -> None:
        self._left = self._delay
        self.countdown.emit(self._left)
        self._tick.start()

    def _on_tick(self) -> None:
        self._left -= 1
        if self._left > 0:
            self.countdown.emit(self._left)
        else:
            self._tick.stop()
            self._probe()

    def _probe(self) -> None:
        if self._store is None:
            return
        self._probing = True
        self.countdown.emit(0)
        gen = self._generation
        self._runner.submit(probe, self._store, on_done=lambda _: self._answered(gen, None),
                            on_error=lambda exc: self._answered(gen, exc))

    def _answered(self, gen: int, exc: BaseException | None) -> None:
        if gen != self._generation:
            return
        self._probing = False
        if exc is not None and is_unavailable(exc):
            self._delay = min(self._delay * 2, MAX_DELAY_S)
            self._start_countdown()
            return
        self._down = False  # it answered (even an error that is not "unreachable" is an answer)
        self.recovered.emit()
