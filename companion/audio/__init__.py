"""Audio: recorder, WAV writing and repair, devices, playback (no UI)."""
