"""The server-outage banner: a job that found the server unreachable starts the monitor's
countdown; thumbnails pause meanwhile; when the server answers again everything shown reloads."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from server_api.store.cached import cached_store
from vault_desktop.connection import ConnectionMonitor
from vault_desktop.models.thumbnails import ThumbnailCache
from vault_desktop.views.banner import ConnectionBanner
from vault_desktop.window_context import WindowContext


class ConnectionController(QObject):
    recovered = Signal()  # the server answers again; collections and the grid are reloading

    def __init__(self, context: WindowContext, thumbnails: ThumbnailCache):
        super().__init__(context)
        self.context = context
        self.thumbnails = thumbnails
        self.banner = ConnectionBanner(context.dialog_parent)
        self.monitor = ConnectionMonitor(context.lanes.reads, context.dialog_parent)
        context.storeChanged.connect(self._store_changed)
        context.serverUnreachable.connect(self.monitor.report_unavailable)
        # thumbnails pause while the server is away, unless the server's kept copy can answer them
        self.monitor.wentDown.connect(lambda _msg: thumbnails.set_paused(cached_store(context.store) is None))
        self.monitor.countdown.connect(self.banner.show_countdown)
        self.monitor.recovered.connect(self._recovered)
        self.banner.retryRequested.connect(self.monitor.retry_now)

    def _store_changed(self, store) -> None:
        self.monitor.set_store(store)
        self.banner.hide()

    def _recovered(self) -> None:
        self.banner.hide()
        self.thumbnails.set_paused(False)
        self.context.refresh_collections()
        self.context.refresh_textures()
        self.recovered.emit()
