"""The lowest layer: errors, settings and per-user folders. Imports nothing else of server_api."""
