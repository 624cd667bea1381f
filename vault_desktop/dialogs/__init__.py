"""Dialogs: connect to a server, and small questions (names, confirmations)."""
