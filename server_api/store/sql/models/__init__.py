"""SQLAlchemy 2.0 typed models, one module per part of the schema; every table is importable from here
(``from server_api.store.sql.models import VersionRow``), and importing this package registers every
table on ``Base.metadata`` (what Alembic's env.py and tests/server/test_migrations.py compare).

Why no cycle: the table modules import ``Base`` from ``models.base`` and each other directly, never
this package; only this package imports them all."""

from server_api.store.sql.models.base import NAMING, Base, UtcDateTime
from server_api.store.sql.models.core import (
    ApiTokenRow,
    AuditEventRow,
    CollectionRow,
    LoginThrottleRow,
    PermissionRow,
    TextureRow,
    UploadLeaseRow,
    UserRow,
    VersionRow,
)
from server_api.store.sql.models.materials import (
    MaterialGroupKeyRow,
    MaterialHoldRow,
    MaterialMapRow,
    MaterialRow,
    MaterialTagRow,
    MaterialVersionMapRow,
    MaterialVersionRow,
    SmartCollectionRow,
    TagAliasRow,
    TagRow,
    TextureTagRow,
)
from server_api.store.sql.models.similar import BlobColourRow, BlobHashRow
from server_api.store.sql.models.team import (
    CollectionReviewRow,
    CommentRow,
    NotificationMarkRow,
    VersionReviewRow,
    WebhookDeliveryRow,
    WebhookRow,
)

__all__ = [
    "NAMING", "ApiTokenRow", "AuditEventRow", "Base", "BlobColourRow", "BlobHashRow", "CollectionReviewRow",
    "CollectionRow", "CommentRow", "LoginThrottleRow", "MaterialGroupKeyRow", "MaterialHoldRow",
    "MaterialMapRow", "MaterialRow", "MaterialTagRow", "MaterialVersionMapRow", "MaterialVersionRow",
    "NotificationMarkRow", "PermissionRow", "SmartCollectionRow", "TagAliasRow", "TagRow", "TextureRow",
    "TextureTagRow", "UploadLeaseRow", "UserRow", "UtcDateTime", "VersionReviewRow", "VersionRow",
    "WebhookDeliveryRow", "WebhookRow",
]
