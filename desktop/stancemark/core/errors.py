"""Typed, user-facing errors: each message says what went wrong and what to do."""

from __future__ import annotations


class StancemarkError(Exception):
    """Base of every error shown to the user (one clear line, never a traceback)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class ProjectError(StancemarkError):
    """The project file cannot be used as asked."""


class NotAProjectError(ProjectError):
    """The file is not a SQLite database, or not a Stancemark project."""


class CorruptProjectError(ProjectError):
    """The file fails SQLite's integrity check."""


class NewerVersionError(ProjectError):
    """The file was written by a newer Stancemark."""


class ProjectLockedError(ProjectError):
    """Another Stancemark holds the project for writing."""


class ReadOnlyProjectError(ProjectError):
    """A write was attempted on a project opened read-only."""


class ArticleReadError(StancemarkError):
    """An input file could not be read as an article."""


class ValidationError(StancemarkError):
    """Input (a span, a codebook, an annotation set) breaks a rule."""


class NotFoundError(StancemarkError):
    """A referenced article, actor or annotation does not exist."""


class Cancelled(StancemarkError):
    """Long work was cancelled by the user."""

    def __init__(self, message: str = "Cancelled.") -> None:
        super().__init__(message)


class TeamError(StancemarkError):
    """Team sync failed: the hub cannot be reached, refused a login, or refused a change."""


class HubOfflineError(TeamError):
    """The team hub cannot be reached (no network, server down): nothing was lost."""


class HubRefusedError(TeamError):
    """The team hub refused this member (wrong password, role removed from the team)."""
