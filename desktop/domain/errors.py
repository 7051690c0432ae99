"""Typed errors and problems.

Errors are raised for a single refused input (a CLI argument, a cell); a ``Problem`` is a
value that validation returns in a list so a UI can show them all at once (Beancount style).
Every message is Chinese and names the input and the reason.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class PlanLedgerError(Exception):
    """Base of every error a user can cause; its message is shown as is (Chinese)."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class NotationError(PlanLedgerError, ValueError):
    """A target or value text that does not parse; the message quotes the input."""


class ValueRefused(PlanLedgerError, ValueError):
    """A value that parses but may not be stored (negative count, year outside the plan …).

    ``problems`` lists every refused cell when a batch (a paste, an import) is refused whole.
    """

    def __init__(self, message: str, problems: "list[Problem] | None" = None):
        super().__init__(message)
        self.problems: list[Problem] = list(problems or [])


class NotFound(PlanLedgerError, LookupError):
    """An unknown indicator, template, box or year."""


class Ambiguous(PlanLedgerError, LookupError):
    """A name that matches several indicators; ``candidates`` lists them."""

    def __init__(self, message: str, candidates: list[str]):
        super().__init__(message)
        self.candidates = candidates


class RegionError(PlanLedgerError, ValueError):
    """A region code that is not a valid GB/T 2260 code."""


class Severity(str, Enum):
    ERROR = "错误"  # refused or blocking
    WARNING = "提示"  # flagged, kept, needs a look or a 说明


@dataclass(frozen=True)
class Problem:
    """One validation finding, located at an indicator (and year) when it has a place."""

    severity: Severity
    message: str
    code: str | None = None  # indicator code
    year: int | None = None
    field: str = ""  # "value", "target", "base", "region" …

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity.value,
            "message": self.message,
            "indicator": self.code,
            "year": self.year,
            "field": self.field,
        }


class FileRefused(PlanLedgerError):
    """A file that cannot be opened as a workspace: not SQLite, not ours, newer schema, damaged.

    The CLI maps it to exit code 3.
    """


class ReadOnly(PlanLedgerError):
    """An edit on a workspace that was opened read-only (locked elsewhere, read-only media)."""


class WriteFailed(FileRefused):
    """An edit the file could not take (disk full, I/O error, file gone read-only, busy too
    long): the transaction was rolled back, the file keeps what it held before the edit."""
