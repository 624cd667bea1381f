"""Under the timeline: the selected version's review status (a control for admins) and its comments,
with a box to add one; the author may edit or delete theirs, an admin may delete any."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from server_api.store.review_entities import REVIEW_STATUSES, Comment, ReviewState

STATUS_LABELS = {None: "not under review", "needs_review": "needs review", "approved": "approved",
                 "changes_requested": "changes requested"}


def comment_line(c: Comment) -> str:
    """One comment as the timeline and the viewer list it."""
    where = " ▭" if c.region is not None else ""
    edited = " (edited)" if c.edited_at else ""
    when = c.created_at.astimezone()
    return f"v{c.version_number} · {c.author} · {when:%d %b %H:%M}{where}{edited}\n{c.text}"


class ReviewPanel(QWidget):
    commentRequested = Signal(str)  # new text for the shown version
    editRequested = Signal(object, str)  # Comment, its new text
    deleteRequested = Signal(object)  # Comment
    statusChosen = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("reviewStatus")
        self.status = QComboBox(self)
        self.status.setObjectName("reviewStatusChoice")
        for status in REVIEW_STATUSES:
            self.status.addItem(STATUS_LABELS[status], status)
        self.status.setToolTip("Set the version's review status (collection admins)")
        self.status.activated.connect(lambda i: self.statusChosen.emit(self.status.itemData(i)))
        self.comments = QListWidget(self)
        self.comments.setObjectName("comments")
        self.comments.setWordWrap(True)
        self.comments.setAlternatingRowColors(True)
        self.comments.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("commentText")
        self.text.setMaximumHeight(64)
        self.send = QPushButton("Comment", self)
        self.edit = QPushButton("Edit", self)
        self.delete = QPushButton("Delete", self)
        self.send.clicked.connect(self._send)
        self.edit.clicked.connect(self._start_edit)
        self.delete.clicked.connect(lambda: self._chosen() and self.deleteRequested.emit(self._chosen()))
        row = QHBoxLayout()
        row.addWidget(QLabel("Review:", self))
        row.addWidget(self.status_label, 1)
        row.addWidget(self.status)
        buttons = QHBoxLayout()
        for b in (self.send, self.edit, self.delete):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.comments, 1)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        self._me, self._admin, self._editing = "", False, None
        self.show_review(None, [], None)

    def show_review(self, version_number: int | None, comments: list[Comment], state: ReviewState | None,
                    *, me: str = "", admin: bool = False) -> None:
        """What to show for the selected version (None: no version)."""
        self._me, self._admin, self._editing = me, admin, None
        self.comments.clear()
        for c in comments:
            item = QListWidgetItem(comment_line(c))
            item.setData(Qt.ItemDataRole.UserRole, c)
            self.comments.addItem(item)
        shown = version_number is not None
        status = state.status if state is not None else None
        by = f"by {state.set_by}" if state is not None and state.set_by else ""
        # admins read the status in the control beside it; the label says who set it
        said = by if admin else f"{STATUS_LABELS[status]} {by}".strip()
        self.status_label.setText(said if shown else "")
        self.status.setVisible(shown and admin)
        if status in REVIEW_STATUSES:
            self.status.setCurrentIndex(REVIEW_STATUSES.index(status))
        self.text.setEnabled(shown)
        self.text.setPlaceholderText(f"Comment on v{version_number}…" if shown else "")
        self.text.clear()
        self.send.setText("Comment")
        self._update_buttons()

    def _chosen(self) -> Comment | None:
        item = self.comments.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _update_buttons(self) -> None:
        chosen = self._chosen()
        self.send.setEnabled(self.text.isEnabled())
        self.edit.setEnabled(chosen is not None and chosen.author == self._me)
        self.delete.setEnabled(chosen is not None and (chosen.author == self._me or self._admin))

    def _start_edit(self) -> None:
        chosen = self._chosen()
        if chosen is not None:
            self._editing = chosen
            self.text.setPlainText(chosen.text)
            self.send.setText("Save edit")
            self.text.setFocus()

    def _send(self) -> None:
        text = self.text.toPlainText()
        if not text.strip():
            return
        if self._editing is not None:
            self.editRequested.emit(self._editing, text)
        else:
            self.commentRequested.emit(text)
