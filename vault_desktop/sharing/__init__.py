"""Sharing a collection (who may read, write, administer it), its activity log, and server admin."""
