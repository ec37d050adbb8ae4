"""What the exam loop refuses, as exceptions the views map to HTTP statuses."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .services import StoredAnswer


class AttemptError(Exception):
    """A save or mark the attempt refuses; ``status`` is the HTTP status it maps to."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AttemptClosed(AttemptError):
    status = 409


class StaleSave(AttemptError):
    """The item already holds a newer choice (``current``), made in another tab or window."""

    status = 409

    def __init__(self, message: str, *, current: "StoredAnswer") -> None:
        super().__init__(message)
        self.current = current


class AnswerFinal(StaleSave):
    """A tutor session's item already holds a checked answer (``current``): it is final."""
