"""companion: a terminal interview companion for qualitative researchers."""

__version__ = "0.1.0"
