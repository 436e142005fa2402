"""What an import reports back: errors tied to a cell, and refusals of the whole file."""

from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem, located the way the user will look for it in Excel.

    ``row`` is the row number Excel shows (the header is row 1); ``column`` the header as
    written in the file ("" when the problem is the whole row or sheet).
    """

    sheet: str
    row: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


class ImportFileError(Exception):
    """The file as a whole cannot be imported (too big, empty, corrupt, not a spreadsheet)."""
