"""Widgets that lay out and paint; they talk to models and emit signals, never to the store."""
