"""Drag-and-drop uploads: a queue of files read in parallel and written one at a time."""
