"""Exports: one module per family of formats, all reading the same event log (no UI).

Each ``render_<fmt>(view) -> str`` is a pure function of a ``companion.review.fold.SessionView``;
``companion.export.writer.write_exports`` puts them on disk.
"""
