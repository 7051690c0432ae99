"""What an intake finds wrong, located by file, sheet and cell, as values (Beancount style):
the preview lists them all; ``IntakeRefused`` is raised only when a file cannot be read at all."""
from __future__ import annotations

from dataclasses import dataclass

from desktop.domain.errors import PlanLedgerError, Problem, Severity

__all__ = ["FindingsMixin", "IntakeProblem", "IntakeRefused", "Severity", "errors_of"]


@dataclass(frozen=True)
class IntakeProblem:
    """One finding. ``message`` is complete Chinese (it names the file, sheet and cell);
    ``cell`` is the address alone ("C5", "A4:A7", "" for the whole sheet) for a preview column."""

    severity: Severity
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    row: int | None = None  # 1-based sheet row, for the preview to highlight

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_dict(self) -> dict[str, object]:
        return {"severity": self.severity.value, "message": self.message, "file": self.file,
                "sheet": self.sheet, "cell": self.cell}

    def as_problem(self) -> Problem:
        return Problem(self.severity, self.message, field=self.cell)


class FindingsMixin:
    """``errors`` and ``ok`` of a result that keeps its findings in ``problems``."""

    problems: list[IntakeProblem]

    @property
    def errors(self) -> list[IntakeProblem]:
        return [p for p in self.problems if p.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors


class IntakeRefused(PlanLedgerError):
    """A file that cannot be read at all (not .xlsx, encrypted, damaged, no table found).

    ``problems`` may list the findings that led to the refusal."""

    def __init__(self, message: str, problems: "list[IntakeProblem] | None" = None):
        super().__init__(message)
        self.problems = list(problems or [])


def errors_of(problems: list[IntakeProblem]) -> list[IntakeProblem]:
    return [p for p in problems if p.is_error]
