"""Errors a user can act on, each with the exit code DESIGN.md section 7 assigns."""

from __future__ import annotations

from dataclasses import dataclass, field

EXIT_OK = 0
EXIT_FAIL_ON = 1
EXIT_USAGE = 2
EXIT_INCOMPLETE = 3
EXIT_INVALID_INPUT = 4
EXIT_INTERNAL = 5


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, pinned to a place in a file."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    path: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        path = f" {self.path}:" if self.path else ""
        return f"{where}:{path} {self.message}"


class DutycheckError(Exception):
    """Base class: carries the exit code the CLI should return."""

    exit_code = EXIT_INTERNAL


@dataclass
class InvalidInput(DutycheckError):
    """Bad duty, bundle, evidence, config or waiver: exit 4, nothing written."""

    problems: list[Problem] = field(default_factory=list)
    exit_code = EXIT_INVALID_INPUT

    def __post_init__(self) -> None:
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    @classmethod
    def one(cls, file: str, message: str, line: int | None = None,
            column: int | None = None, path: str = "") -> InvalidInput:
        return cls([Problem(str(file), message, line, column, path)])


class PluginError(DutycheckError):
    """A plugin is malformed or two plugins conflict: the run is incomplete (exit 3)."""

    exit_code = EXIT_INCOMPLETE


class UsageError(DutycheckError):
    exit_code = EXIT_USAGE
