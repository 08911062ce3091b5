"""Errors whose message is a sentence for the person at the keyboard.

Anything raised as a CompanionError is printed as one line on stderr by the
command line (never a traceback) and ends the process with its exit code.
"""


class CompanionError(Exception):
    """A problem with the user's input or environment, explained in one sentence."""

    exit_code = 2


class UsageError(CompanionError):
    """The command was called wrongly: a missing file, a bad argument."""


class ProblemsError(CompanionError):
    """Several located problems (``path:line:col: message``) found at once."""

    def __init__(self, problems: list[str], exit_code: int = 2):
        super().__init__("\n".join(problems))
        self.problems = problems
        self.exit_code = exit_code
