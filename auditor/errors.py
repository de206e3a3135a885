"""Every error the auditor raises on purpose.

    AuditorError                 base: carries a code and a one-line, actionable message
    ├── InputError               a source cannot be read (missing, binary, undecodable, ...)
    ├── DataError                a corpus file (fact base, lexicon, terms) is malformed
    └── ModelError               a spaCy model or trained artifact is missing or unusable

The library never prints: the CLI turns these into one line on stderr and exit code 2.
A message names the input (file, entry, field) and says what to do about it.
"""

from __future__ import annotations


class AuditorError(Exception):
    """Base of the auditor's error tree."""

    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class InputError(AuditorError):
    """A source (file, stdin) could not be read as text."""

    code = "E100"


class DataError(AuditorError):
    """A corpus file is malformed; the message names file, entry and field."""

    code = "E200"

    def __init__(self, path: str, message: str, entry: str | None = None,
                 field: str | None = None) -> None:
        where = path
        if entry is not None:
            where += f": entry {entry!r}"
        if field is not None:
            where += f": field {field!r}"
        super().__init__(f"{where}: {message}")
        self.path, self.entry, self.field, self.detail = path, entry, field, message


class ModelError(AuditorError):
    """A model could not be loaded."""

    code = "E300"
