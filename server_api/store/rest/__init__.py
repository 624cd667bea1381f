"""RestVaultStore: the VaultStore interface over HTTP (client), its transport and streamed uploads."""
