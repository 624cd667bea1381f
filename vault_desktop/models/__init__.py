"""Qt item models over VaultStore results; they never call the store on the GUI thread."""
