"""Errors the domain raises; pages, the API and the command line translate them."""

from dataclasses import dataclass


class DomainError(Exception):
    """A request the rules refuse; the message is written for the person who asked."""


class NotPermitted(DomainError):
    """The actor's role does not allow this."""


@dataclass(frozen=True)
class InputProblem:
    """One problem in an input file: FILE:ROW:COLUMN: message (ROW counts the header as 1)."""

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.message}"


class InvalidInput(DomainError):
    """An input was rejected whole; nothing was written."""

    def __init__(self, problems: list[InputProblem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the input")
