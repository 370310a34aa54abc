"""The server's exception tree, split by what the caller should do.

ServerError
├── ProblemError      answer the HTTP request with this problem+json (a refusal)
└── ConfigurationError  the server cannot start with these settings (exit with a message)
"""

from __future__ import annotations

from booking_core.errors import ErrorCode, Problem
from booking_core.models import Booking


class ServerError(Exception):
    """Root of the server's own exceptions."""


class ProblemError(ServerError):
    """A refusal that becomes an `application/problem+json` answer."""

    def __init__(self, problem: Problem, headers: dict[str, str] | None = None) -> None:
        super().__init__(problem.detail or problem.title)
        self.problem = problem
        self.headers = headers or {}

    @classmethod
    def of(
        cls,
        code: ErrorCode,
        detail: str | None = None,
        *,
        status: int | None = None,
        current: Booking | None = None,
        errors: list[dict[str, object]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> ProblemError:
        problem = Problem.of(code, detail, current=current, errors=errors)
        if status is not None:
            problem = problem.model_copy(update={"status": status})
        return cls(problem, headers)


class ConfigurationError(ServerError):
    """The settings cannot work (bad database URL, unsupported backend)."""
