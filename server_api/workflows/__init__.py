"""One implementation each of what every face shares (import decision, publish), against VaultStore."""
