"""The command-line faces: ``vault`` (cli.vault) and ``vault-server`` (cli.server)."""
