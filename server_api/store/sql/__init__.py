"""The SQL face of the store: SQLAlchemy models, sessions and the blob store behind them."""
