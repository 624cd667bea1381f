"""Texture Vault engine: the store interface, its SQL and REST faces, and the HTTP server.

Never imports PySide6 or vault_desktop (an import-linter contract checks this).
"""

__version__ = "0.1.0"
