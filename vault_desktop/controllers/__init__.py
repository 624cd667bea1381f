"""One controller per feature: it owns its widgets and actions and talks to the window only
through a ``WindowContext`` and signals. ``MainWindow`` builds them in menu order and lays out
their widgets. See docs/ARCHITECTURE.md ("Adding a desktop feature")."""
