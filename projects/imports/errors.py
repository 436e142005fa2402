"""What an import reports back: errors tied to a cell, and refusals of the whole file."""

from dataclasses import asdict, dataclass

SHOWN_VALUE = 300  # characters of a cell quoted in a stored error (a cell may hold 32,767)


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
        """The stored form; long values are cut, so 200,000 errors stay a few megabytes."""
        stored = asdict(self)
        if len(self.value) > SHOWN_VALUE:
            stored["value"] = self.value[:SHOWN_VALUE] + "…"
        return stored


class ImportFileError(Exception):
    """The file as a whole cannot be imported (too big, empty, corrupt, not a spreadsheet)."""
