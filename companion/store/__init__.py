"""Sessions on disk: the event journal, participant IDs, retention, locks (no UI)."""
