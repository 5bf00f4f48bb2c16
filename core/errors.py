"""Errors the program expects, each carrying what to tell the clerk in Chinese."""

from __future__ import annotations


class ReportError(Exception):
    """Base class: ``str(err)`` is a complete Chinese message for the user."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])

    def lines(self) -> list[str]:
        """One line per problem (or the message alone), as the command line prints them."""
        return self.problems or [self.message]


class InvalidReportFile(ReportError):
    """An exchange file that cannot be read as a report: nothing is imported from it."""


class OutputError(ReportError):
    """A file could not be written (folder missing, no permission, file open elsewhere)."""


class PasteError(ReportError):
    """A block from the clipboard cannot be pasted: the message names the value and its place."""
