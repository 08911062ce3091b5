"""A screen's own CSS file, added to the app's stylesheet without re-parsing the rest.

Textual re-parses every CSS source the app holds (each widget's default CSS included) the
first time a screen with its own CSS file is shown: 50–100 ms on a laptop, spent just as
the consent checklist or the interview screen should appear. Reading only the new file and
parsing incrementally gives the same rules: the sources already parsed come from the
stylesheet's cache, and the new screen (registered, not yet composed) is styled again so
rules aimed at the screen itself apply.
"""

from __future__ import annotations


def add_screen_css(app, screen) -> bool:
    """Add ``screen``'s CSS files to the app's stylesheet; False when Textual must do it (inline
    CSS, or the CSS monitor of `textual run --dev`, which re-reads files as they change)."""
    if screen.CSS or app.css_monitor is not None:
        return False
    stylesheet = app.stylesheet
    new = [path for path in screen.css_path if not stylesheet.has_source(str(path), "")]
    if new:
        for path in new:
            stylesheet.read(path)
        stylesheet.parse()
        stylesheet.update(screen)
    return True
