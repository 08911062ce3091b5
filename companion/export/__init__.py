"""Exports: one module per family of formats, all reading the same event log (no UI)."""
