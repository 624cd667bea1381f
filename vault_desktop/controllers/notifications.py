"""Notifications in the main window (issue 16): the bell in the filter bar with the unread count,
refreshed when the vault changes (the live feed's batches), every minute, and when the server comes
back; opening its list marks what it shows read (the marker is the server's, so another machine or
a restart sees the same). Choosing one shows its texture."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from server_api.store.review_entities import Notification, Notifications
from vault_desktop.views.notification_bell import NotificationBell, unread_text
from vault_desktop.window_context import WindowContext

REFRESH_MS = 60_000


class NotificationsController(QObject):
    def __init__(self, context: WindowContext):
        super().__init__(context)
        self.context = context
        self.bell = NotificationBell(context.dialog_parent)
        self.shown = Notifications((), 0, 0)
        self._pending: tuple[int, int] | None = None  # (collection, texture) to show once it is open
        self.bell.opened.connect(self.mark_read)
        self.bell.chosen.connect(self.open_notification)
        self._timer = QTimer(self, interval=REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        context.storeChanged.connect(lambda _s: self.refresh())
        context.closing.connect(self._timer.stop)
        context.collectionChanged.connect(self._collection_opened)

    def refresh(self) -> None:
        store = self.context.store
        if store is None:
            return
        self.context.lanes.reads.submit(store.notifications, 50, on_done=lambda n: self._show(store, n),
                                        on_error=lambda _exc: None)  # the bell waits for the next try

    def _show(self, store, notes: Notifications) -> None:
        if store is self.context.store:
            self.shown = notes
            self.bell.show_notifications(notes)

    def mark_read(self) -> None:
        store = self.context.store
        if store is None or not self.shown.items or not self.shown.unread:
            return
        newest = self.shown.items[0].cursor
        self.context.write(lambda s: s.mark_notifications_read(newest), action=None,
                           on_done=lambda notes: self._marked(store, notes))

    def _marked(self, store, notes: Notifications) -> None:
        if store is self.context.store:
            self.shown = notes
            self.bell.setText(unread_text(notes.unread))
            self.bell.unread = notes.unread  # the open list keeps its bold rows until it is opened again

    def open_notification(self, note: Notification) -> None:
        collection = self.context.current_collection()
        if note.texture_id is None or note.collection_id is None:
            return
        if collection is not None and collection.id == note.collection_id:
            self.context.select_texture(note.texture_id)
        else:  # open its collection first, then the texture
            self._pending = (note.collection_id, note.texture_id)
            self.context.refresh_collections(note.collection_id)
            self.context.status(f"{note.actor}: {note.detail}", 8000)

    def _collection_opened(self, collection) -> None:
        pending, self._pending = self._pending, None
        if pending is not None and collection is not None and collection.id == pending[0]:
            self.context.select_texture(pending[1])
