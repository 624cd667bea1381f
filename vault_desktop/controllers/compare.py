"""Comparing two versions: a non-modal compare window per request (the last one is kept for tests
and screenshots)."""

from __future__ import annotations

from PySide6.QtCore import QObject

from server_api.store.entities import Version
from vault_desktop.compare.dialog import CompareDialog
from vault_desktop.window_context import WindowContext


class CompareController(QObject):
    def __init__(self, context: WindowContext):
        super().__init__(context)
        self.context = context
        self.last_dialog: CompareDialog | None = None

    def open(self, older: Version, newer: Version) -> CompareDialog:
        ctx = self.context
        dialog = CompareDialog(ctx.store, ctx.lanes.reads, older, newer, ctx.dialog_parent)
        dialog.failed.connect(lambda exc: ctx.report_error(exc, "Compare"))
        dialog.show()
        self.last_dialog = dialog
        return dialog
