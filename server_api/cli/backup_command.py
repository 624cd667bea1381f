"""`vault-server backup DIR` and `vault-server restore DIR`: a whole server (store/sql/backup.py).

    vault-server backup DIR --data DATA            # the database + every blob and thumbnail it names
    vault-server restore DIR --data DATA [--force]  # into an empty database; migrated on the next start
"""

from __future__ import annotations

from pathlib import Path

from server_api.core.settings import settings
from server_api.core.units import human_size


def add_backup_commands(commands) -> None:
    backup = commands.add_parser("backup", help="a consistent snapshot of the whole server into a new folder")
    backup.add_argument("folder", type=Path, metavar="DIR")
    backup.add_argument("--data", required=True, type=Path, help="the server's data folder")
    backup.set_defaults(run=_backup)
    restore = commands.add_parser("restore", help="put a backup back (into an empty database)")
    restore.add_argument("folder", type=Path, metavar="DIR")
    restore.add_argument("--data", required=True, type=Path, help="the data folder to restore into")
    restore.add_argument("--force", action="store_true", help="replace what the target database holds")
    restore.set_defaults(run=_restore)


def _target(data: Path):
    from server_api.content.opening import open_content_store
    from server_api.store.sql.opening import database_url_for

    config = settings()
    folder = data.expanduser().resolve()
    folder.mkdir(parents=True, exist_ok=True)
    return database_url_for(config, folder), open_content_store(config.content_url, folder, config)


def _backup(args) -> int:
    from server_api.store.sql.backup import backup

    url, content = _target(args.data)
    report = backup(url, content, args.folder)
    print(f"backed up the {report.database} database, {report.blobs} files ({human_size(report.bytes)}) "
          f"and {report.thumbnails} thumbnails into {report.folder}")
    return 0


def _restore(args) -> int:
    from server_api.store.sql.backup import restore
    from server_api.store.sql.opening import open_server_store

    url, content = _target(args.data)
    report = restore(args.folder, url, content, force=args.force)
    open_server_store(settings(), args.data.expanduser().resolve()).close()  # migrated to this version
    print(f"restored the {report.database} database, {report.blobs} files ({human_size(report.bytes)}) "
          f"and {report.thumbnails} thumbnails from {report.folder}")
    return 0
