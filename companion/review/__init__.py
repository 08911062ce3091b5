"""Reading a session back: the fold of its event log into the one view every screen and export uses (no UI)."""
