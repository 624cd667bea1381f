"""One controller per feature: it owns its widgets and actions and talks to the window only
through a ``WindowContext`` (``vault_desktop/window_context.py``) and signals.

Adding a feature: write ``controllers/<feature>.py`` with a QObject taking the context; build its
widgets (parent ``context.dialog_parent``), put its actions into ``context.menu(name)``, follow
``context.storeChanged`` / ``collectionChanged``, run store calls with ``context.write`` or on
``context.lanes`` and report failures with ``context.report_error``. Then construct it in
``MainWindow._build_features`` (menu order) and wire its signals to other features there.
No controller calls another controller or reads anyone's underscore attributes
(tests/desktop/test_no_private_reach.py).
"""
