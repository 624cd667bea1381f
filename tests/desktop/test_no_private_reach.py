"""No desktop module reaches into another object's underscore attributes.

Controllers talk to the window through ``WindowContext`` and signals; a private name used from
outside its class is a hidden coupling that breaks silently when the owner changes. Names on
``self``/``cls`` (and on ``super()``) are the owner's own; dunders and Qt's protected methods
(not underscore-prefixed) are fine.
"""

from __future__ import annotations

import ast
from pathlib import Path

import vault_desktop

PACKAGE = Path(vault_desktop.__file__).parent
OWN = {"self", "cls"}


def private_reaches(source: str, filename: str = "<source>") -> list[str]:
    """``file:line: expression`` for every ``<something other than self/cls>._name``."""
    found = []
    nodes = sorted((n for n in ast.walk(ast.parse(source, filename)) if isinstance(n, ast.Attribute)),
                   key=lambda n: (n.lineno, n.col_offset))
    for node in nodes:
        name = node.attr
        if not name.startswith("_") or (name.startswith("__") and name.endswith("__")):
            continue
        owner = node.value
        if isinstance(owner, ast.Name) and owner.id in OWN:
            continue
        if isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "super":
            continue
        found.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_desktop_module_touches_another_objects_private_attributes():
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 40  # the whole package was scanned, not an empty folder
    found = [hit for path in files
             for hit in private_reaches(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE)))]
    assert found == [], "reaching into private attributes:\n" + "\n".join(found)


def test_the_check_catches_what_it_must_and_lets_the_rest_pass():
    caught = private_reaches(
        "w._menus['File'] = 1\n"
        "self.w._store.close()\n"
        "window.context._window.close()\n"
        "other._x = self._y\n")
    assert [hit.split(": ", 1)[1] for hit in caught] == [
        "w._menus", "self.w._store", "window.context._window", "other._x"]
    assert private_reaches(
        "self._store = None\n"
        "cls._cache.clear()\n"
        "super().__init__(parent)\n"
        "super()._setup()\n"
        "obj.__class__.__name__\n"
        "widget.mousePressEvent(event)\n") == []
