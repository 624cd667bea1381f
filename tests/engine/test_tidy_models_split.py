"""The models package (store/sql/models/) imports cleanly whichever module is imported first, and the
package registers every table: a table module importing the package back (as the first models_team.py
attempt did) fails here with "cannot import name ... from partially initialized module"."""

from __future__ import annotations

import subprocess
import sys

import pytest

PARTS = ["base", "core", "materials", "similar", "team"]


@pytest.mark.parametrize("part", PARTS)
def test_each_models_module_imports_first_on_its_own(part):
    code = (
        f"import server_api.store.sql.models.{part}\n"
        "from server_api.store.sql.models import Base, CollectionReviewRow, VersionRow\n"
        "print(len(Base.metadata.tables))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == 28  # every table, whichever module came first


def test_every_table_is_importable_from_the_package():
    from server_api.store.sql import models

    for table in models.Base.metadata.tables.values():
        row = next(m.class_ for m in models.Base.registry.mappers if m.local_table is table)
        assert getattr(models, row.__name__) is row, row.__name__
