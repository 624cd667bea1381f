"""The publish worker job the app runs for a texture and for a material: the user's approved folders
first (approving the one they just agreed to), and a target outside them comes back as the question
to ask (PublishNotApproved: the full path and the folder), not as an error."""

from __future__ import annotations

from collections.abc import Callable

from server_api.workflows.publish_roots import PublishNotApproved, PublishRoots
from server_api.workflows.publishing import publish


def publish_or_ask(store, item_id: int, approve: str | None = None, publish_fn: Callable = publish):
    """``publish_fn(store, item_id, roots=...)``: ``publish`` (a texture) or ``publish_material``."""
    roots = PublishRoots.load(store.uri)
    if approve:
        roots.approve(approve)
    try:
        return publish_fn(store, item_id, roots=roots)
    except PublishNotApproved as question:
        return question
