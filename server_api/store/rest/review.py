"""The review part of RestVaultStore (server_api.http.routes.review on the other side)."""

from __future__ import annotations

import dataclasses

from server_api.core.errors import VaultError
from server_api.store import codec
from server_api.store.review_entities import Comment, Notifications, Region, ReviewState
from server_api.store.review_rules import comment_region, comment_text

API = "/api/v1"


class RestReviewMixin:
    def add_comment(self, version_id: int, text: str, region: Region | None = None,
                    key: str | None = None) -> Comment:
        text, region = comment_text(text), comment_region(region)
        body = {"text": text, "region": dataclasses.asdict(region) if region else None}
        headers = {"Idempotency-Key": key} if key is not None else None
        return codec.decode(Comment, self._http.call("POST", f"{API}/versions/{int(version_id)}/comments",
                                                     json=body, headers=headers))

    def edit_comment(self, comment_id: int, text: str) -> Comment:
        text = comment_text(text)
        answer = self._http.call("PATCH", f"{API}/comments/{int(comment_id)}", json={"text": text})
        return codec.decode(Comment, answer)

    def delete_comment(self, comment_id: int) -> None:
        self._http.call("DELETE", f"{API}/comments/{int(comment_id)}", expect_json=False)

    def list_comments(self, version_id: int) -> list[Comment]:
        return codec.decode_list(Comment, self._get(f"/versions/{int(version_id)}/comments"))

    def texture_comments(self, texture_id: int) -> list[Comment]:
        return codec.decode_list(Comment, self._get(f"/textures/{int(texture_id)}/comments"))

    def review_state(self, version_id: int) -> ReviewState:
        return codec.decode(ReviewState, self._get(f"/versions/{int(version_id)}/review"))

    def set_review_status(self, version_id: int, status: str) -> ReviewState:
        answer = self._http.call("PUT", f"{API}/versions/{int(version_id)}/review", json={"status": status})
        return codec.decode(ReviewState, answer)

    def review_statuses(self, collection_id: int) -> dict[int, str]:
        answer = self._get(f"/collections/{int(collection_id)}/review-statuses")
        try:
            return {int(k): str(v) for k, v in answer.items()}
        except (AttributeError, ValueError) as exc:
            raise VaultError("internal", f"server sent malformed review statuses: {exc}") from None

    def review_required(self, collection_id: int) -> bool:
        return bool(self._get(f"/collections/{int(collection_id)}/review-required")["required"])

    def set_review_required(self, collection_id: int, required: bool) -> bool:
        answer = self._http.call("PUT", f"{API}/collections/{int(collection_id)}/review-required",
                                 json={"required": required})
        return bool(answer["required"])

    def notifications(self, limit: int = 50) -> Notifications:
        return codec.decode(Notifications, self._get("/notifications", limit=limit))

    def mark_notifications_read(self, up_to_cursor: int) -> Notifications:
        answer = self._http.call("POST", f"{API}/notifications/read", json={"up_to_cursor": up_to_cursor})
        return codec.decode(Notifications, answer)
