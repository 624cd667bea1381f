"""Bytes addressed by sha256 and the artifacts derived from them (thumbnails). Below imaging and store."""
