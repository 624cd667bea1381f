"""The change feed's kinds: the one list, and the one map from audit actions to kinds.

Every write records an audit event (store/sql/access.record_event) with an ``action``; the change
feed (store/change_api.py) names it by its ``kind``. Older actions have their own names (kept: the
activity list and list_events show them); new writers use the kind itself as the action
(review: comment_added, review_status ...). An action missing here is its own kind, so a new
writer is never dropped from the feed, only unnamed in this list until it is added.
"""

from __future__ import annotations

# audit action -> change kind, grouped by what changed
ACTION_KINDS: dict[str, str] = {
    # collections and grants
    "create_collection": "collection_created",
    "update_collection": "collection_changed",
    "delete_collection": "collection_deleted",
    "share": "grant_changed",
    "revoke": "grant_changed",
    # textures and versions
    "add_texture": "texture_added",
    "add_version": "version_added",
    "set_current": "current_changed",
    "publish": "published",
    "colour_space": "colour_space_changed",
    "delete_texture": "deleted",
    "restore_texture": "restored",
    "empty_trash": "trash_emptied",
    # retention (store/retention_api.py): the policy, versions it moved, the version trash
    "retention_set": "retention_changed",
    "trash_versions": "versions_trashed",
    "restore_version": "version_restored",
    "empty_version_trash": "version_trash_emptied",
    # materials
    "material_create": "material_created",
    "material_rename": "material_renamed",
    "material_delete": "material_deleted",
    "material_split": "material_split",
    "material_merge": "material_merged",
    "material_maps": "material_maps_changed",
    "material_version": "material_version_added",
    "material_set_current": "material_current_changed",
    # tags (on textures and materials, and the vault-wide vocabulary)
    "tag": "tag_assigned",
    "rename_tag": "tag_renamed",
    "merge_tag": "tag_merged",
    "tag_parent": "tag_parent_set",
    "tag_alias": "tag_alias_added",
    # quality rules
    "qa_rules_changed": "qa_rules_changed",
    # review (its actions are already kinds)
    "comment_added": "comment_added",
    "comment_edited": "comment_edited",
    "comment_deleted": "comment_deleted",
    "review_status": "review_status",
    "review_required": "review_required",
}

# Every kind the feed can carry, in a stable order (webhook filters and the CLI check against it).
CHANGE_KINDS: tuple[str, ...] = tuple(dict.fromkeys(ACTION_KINDS.values()))


# What each kind says to a person (the desktop's Activity, notifications); the test keeps it complete.
KIND_LABELS: dict[str, str] = {
    "collection_created": "Collection created", "collection_changed": "Collection changed",
    "collection_deleted": "Collection deleted", "grant_changed": "Sharing changed",
    "texture_added": "Texture added", "version_added": "New version", "current_changed": "Made current",
    "published": "Published", "colour_space_changed": "Colour space set", "deleted": "Moved to trash",
    "restored": "Restored", "trash_emptied": "Trash emptied",
    "material_created": "Material created", "material_renamed": "Material renamed",
    "material_deleted": "Material deleted", "material_split": "Material split",
    "material_merged": "Materials merged", "material_maps_changed": "Material maps changed",
    "material_version_added": "New material version", "material_current_changed": "Material made current",
    "tag_assigned": "Tags changed", "tag_renamed": "Tag renamed", "tag_merged": "Tags merged",
    "tag_parent_set": "Tag moved", "tag_alias_added": "Tag alias added",
    "comment_added": "Comment", "comment_edited": "Comment edited", "comment_deleted": "Comment deleted",
    "review_status": "Review status", "review_required": "Review required",
    "qa_rules_changed": "QA rules changed",
    "retention_changed": "Retention changed", "versions_trashed": "Old versions trashed",
    "version_restored": "Version restored", "version_trash_emptied": "Version trash emptied",
}


def kind_label(kind: str) -> str:
    """A kind in words; a kind not in the list yet reads as its own name, made readable."""
    return KIND_LABELS.get(kind) or kind.replace("_", " ").capitalize()


def kind_of(action: str) -> str:
    return ACTION_KINDS.get(action, action)


def actions_of(kinds: set[str]) -> set[str]:
    """The audit actions that make these kinds (a kind with no older action is its own action)."""
    return {a for a, k in ACTION_KINDS.items() if k in kinds} | set(kinds)
