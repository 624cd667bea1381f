"""Texture Vault desktop app (PySide6). Talks to the engine only through server_api.store.VaultStore."""
