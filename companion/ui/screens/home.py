"""The home screen: start, resume, review, quit — and the guides at hand."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from companion.ui.widgets.footer import Footer


class HomeScreen(Screen):
    CSS_PATH = "home.tcss"
    AUTO_FOCUS = "#menu"
    BINDINGS = [
        Binding("n", "new", "New interview", id="home.new"),
        Binding("r", "resume", "Resume", id="home.resume"),
        Binding("v", "review", "Review sessions", id="home.review"),
        Binding("q", "app.quit", "Quit", id="home.quit"),
    ]

    def __init__(self, message: str = ""):
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static("What would you like to do?", classes="section-title")
            yield OptionList(id="menu")
            yield Static(Text(self.message), id="saved")
            yield Static("Guides", classes="section-title")
            yield Static("", id="guides")
            yield Static("", id="store", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#store", Static).update(Text(f"Session store: {self.app.settings.sessions}"))
        self.interrupted = None  # None until the store has been read
        self.want_new = False  # `n` pressed before the guides were read: open the form once they are
        self.refresh_menu()
        self.load_state()

    def load_state(self) -> None:
        """Guides and interrupted sessions come from disk: read off the UI thread, guides first —
        they are a few small files; the store may hold hundreds of sessions, read once they are shown."""
        self.load_guides()

    @work(thread=True, exclusive=True, group="home-guides")
    def load_guides(self) -> None:
        from companion.guide.loader import find_guides

        guides = find_guides(self.app.settings.guide_dirs)
        self.app.call_from_thread(self.show_guides, guides)

    @work(thread=True, exclusive=True, group="home-sessions")
    def load_sessions(self) -> None:
        store = self.app.store()
        try:
            interrupted = [s for s in store.sessions() if s.status == "interrupted"]
            store_line = encryption_line(store)
        except Exception as error:  # a broken store must not keep the home screen from opening
            interrupted, store_line = [], f"Session store: {self.app.settings.sessions}"
            self.app.call_from_thread(self.notify, str(error), severity="error")
        for notice in store.notices:
            self.app.call_from_thread(self.notify, notice, severity="warning")
        self.app.call_from_thread(self.query_one("#store", Static).update, Text(store_line))
        self.app.call_from_thread(self.show_sessions, interrupted)

    def show_sessions(self, interrupted) -> None:
        self.interrupted = interrupted
        self.refresh_menu()

    def show_guides(self, guides) -> None:
        self.guides = guides
        self.load_sessions()
        if self.want_new:
            self.want_new = False
            self.action_new()
        lines = []
        for entry in guides:
            if entry.guide:
                g = entry.guide
                lines.append(f"  {g.id:<14} {g.title}  ({g.audience}, {len(g.stages)} stages, {g.question_count} questions)")
            else:
                lines.append(f"  ✗ {entry.path.name}: {entry.problems[0]}")
        self.query_one("#guides", Static).update(Text("\n".join(lines) or "  No guides found."))

    def refresh_menu(self) -> None:
        interrupted = self.interrupted
        count = "reading the store…" if interrupted is None else len(interrupted)
        menu = self.query_one("#menu", OptionList)
        highlighted = menu.highlighted
        menu.clear_options()
        menu.add_options(
            [
                Option(Text("Start a new interview   [n]"), id="new"),
                Option(Text(f"Resume an interrupted interview ({count})   [r]"), id="resume", disabled=not interrupted),
                Option(Text("Review sessions   [v]"), id="review"),
                Option(Text("Quit   [q]"), id="quit"),
            ]
        )
        menu.highlighted = highlighted or 0
        if interrupted is None:
            menu.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        action = {"new": self.action_new, "resume": self.action_resume, "review": self.action_review}
        if event.option.id == "quit":
            self.app.exit()
        else:
            action[event.option.id]()

    def show_saved(self, message: str) -> None:
        self.query_one("#saved", Static).update(Text(message))
        self.load_state()

    def action_new(self) -> None:
        if not hasattr(self, "guides"):
            self.want_new = True  # the guides arrive in a moment: never open the form with none
            return
        from companion.ui.screens.new_interview import NewInterviewScreen

        self.app.push_screen(NewInterviewScreen([e.guide for e in self.guides if e.guide]))

    def action_resume(self) -> None:
        interrupted = self.interrupted
        if interrupted is None:
            self.app.notify("Still reading the store: resume in a moment.")
            return
        if not interrupted:
            self.app.notify("There is no interrupted interview to resume.")
            return
        from companion.ui.screens.resume import ResumeScreen

        self.app.push_screen(ResumeScreen(interrupted))

    def action_review(self) -> None:
        from companion.ui.screens.review import open_review

        open_review(self.app, None)


def encryption_line(store) -> str:
    """Whether new sessions are encrypted, said plainly."""
    from companion.crypto.keys import fingerprint

    recipient = store.recipient()
    if recipient is None:
        return f"Session store: {store.root} — sessions are NOT encrypted (companion key new makes a study key)"
    return f"Session store: {store.root} — sessions are encrypted to the study key {fingerprint(recipient)}"


def resume_session(app, ref: str) -> None:
    from companion.ui.screens.resume import resume_in_background

    resume_in_background(app, ref)
