"""Shared-server tests (a package, so its conftest never shadows the desktop tests' `conftest`)."""
