"""Stream a worksheet's XML for its real extent and the cells that hold a formula.

Part of measuring an upload before any reader opens it (``workbook_guard``): calamine sizes a
sheet by its first and last non-empty cells, never by the declared ``<dimension>``, so neither
is this module. ``FastScan`` reads cell references with regular expressions, for sheets written
the way spreadsheet programs write them; ``ExactScan`` walks every element, for the rest.
"""

import re
from dataclasses import dataclass, field
from xml.parsers import expat

from django.utils.translation import gettext as _

from .errors import ImportFileError

FORMULA_SHOWN = 200  # characters of a formula quoted back in an error

# The fast scan reads cell references with regular expressions; it applies only to sheets
# written the way Excel, WPS, LibreOffice and openpyxl write them: every cell tag starts
# ``<c r="B12"``, no namespace prefix on cells or formulas, no comments, CDATA or processing
# instructions. Anything else (or any formula) is scanned again, slowly, by ``ExactScan``.
UNUSUAL_TAG = re.compile(rb'<(?:c(?=[\s/>])(?! r="[A-Z]{1,4}[0-9]{1,9}"[\s/>])|f[\s/>])')
PREFIXED_TAG = re.compile(rb":[cf][\s/>]")  # <x:c ...>, <x:f>: a separate, cheaper search
CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,4})')
CELL_ROW = re.compile(rb'<c r="[A-Z]{1,4}([0-9]{1,9})"')
LONGEST_TAG = 1 << 16  # bytes; a longer tag (a huge attribute) sends a sheet to ExactScan
REFERENCE = re.compile(r"([A-Za-z]+)([0-9]+)")


@dataclass
class SheetScan:
    """What a sheet part really holds: its extent (1-based) and its formula cells."""

    part: str
    last_row: int = 0
    last_column: int = 0
    cells: int = 0
    # (Excel row, 0-based column) → formula text, as the engine reports it.
    formulas: dict = field(default_factory=dict)


def column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def damaged() -> ImportFileError:
    return ImportFileError(_("The workbook is damaged and cannot be read."))


def xml_parser():
    """An expat parser that refuses DTDs (no entity expansion, no external anything)."""
    parser = expat.ParserCreate()

    def refuse(*_args):
        raise damaged()

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def complete_tags(data: bytes) -> int:
    """Where the complete tags of a chunk end: before a tag the next chunk finishes.

    In well-formed XML every ``<`` opens a tag and text holds none, so after the last ``<``
    there is either the rest of a complete tag and text, or the start of an unfinished tag.
    """
    cut = data.rfind(b"<")
    return len(data) if cut < 0 or data.find(b">", cut) >= 0 else cut


class FastScan:
    """Extent by regular expressions on sheets as spreadsheet programs write them.

    expat checks on the way that the XML is well formed (so every ``<`` starts a tag and no tag
    hides inside an attribute) and reports what would defeat the expressions; ``run`` then
    returns None and the sheet is scanned by ``ExactScan``.
    """

    def __init__(self, part: str):
        self.scan = SheetScan(part)
        self.unusual = False
        self.parser = xml_parser()
        self.parser.XmlDeclHandler = self._declaration
        self.parser.CommentHandler = self._mark_unusual
        self.parser.StartCdataSectionHandler = self._mark_unusual
        self.parser.ProcessingInstructionHandler = self._mark_unusual

    def _mark_unusual(self, *_args):
        self.unusual = True

    def _declaration(self, _version, encoding, _standalone):
        if encoding and encoding.lower().replace("_", "-") not in ("utf-8", "utf8", "us-ascii"):
            self.unusual = True  # the expressions read bytes as ASCII

    def run(self, chunks) -> SheetScan | None:
        tail = b""
        first = True
        for chunk in chunks:
            if first and (chunk[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in chunk[:4]):
                self.unusual = True  # UTF-16 or UTF-32
            first = False
            self._feed(chunk, final=False)
            data = tail + chunk
            cut = complete_tags(data)
            self._measure(data[:cut])
            tail = data[cut:]
            if len(tail) > LONGEST_TAG:
                self.unusual, tail = True, b""
        self._feed(b"", final=True)
        self._measure(tail)
        return None if self.unusual else self.scan

    def _feed(self, chunk, *, final):
        try:
            self.parser.Parse(chunk, final)
        except expat.ExpatError:
            raise damaged() from None

    def _measure(self, data: bytes):
        if self.unusual or UNUSUAL_TAG.search(data) or PREFIXED_TAG.search(data):
            self.unusual = True
            return
        rows = CELL_ROW.findall(data)
        if not rows:
            return
        scan = self.scan
        scan.cells += len(rows)
        scan.last_row = max(scan.last_row, max(map(int, rows)))
        widest = max(set(CELL_COLUMN.findall(data)), key=lambda letters: (len(letters), letters))
        scan.last_column = max(scan.last_column, column_number(widest.decode()))


class ExactScan:
    """Extent and formulas by walking every element, the way calamine positions cells.

    A cell is where its ``r`` says, else right of the previous cell of its row; a row is where
    its ``r`` says, else below the previous row. Every ``<c>`` counts, even an empty one (a
    conservative extent). Slower than ``FastScan`` (a Python call per element), so only used
    for sheets it cannot read: those with formulas, which are refused anyway, and odd writers.
    """

    def __init__(self, part: str):
        self.scan = SheetScan(part)
        self.row = 0  # 0-based, as calamine counts
        self.column = 0
        self.cell = None
        self.formula = None
        self.formula_cell = None
        self.parser = xml_parser()
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.buffer_text = True

    def run(self, chunks) -> SheetScan:
        try:
            for chunk in chunks:
                self.parser.Parse(chunk, False)
            self.parser.Parse(b"", True)
        except expat.ExpatError:
            raise damaged() from None
        return self.scan

    def _start(self, name, attributes):
        local = name.rpartition(":")[2]
        if local == "c":
            reference = attributes.get("r")
            if reference is not None:
                row, self.column = _position(reference)
                self.cell = (row, self.column)
            else:
                self.cell = (self.row, self.column)
            scan = self.scan
            scan.cells += 1
            scan.last_row = max(scan.last_row, self.cell[0] + 1)
            scan.last_column = max(scan.last_column, self.cell[1] + 1)
        elif local == "row":
            if "r" in attributes:
                self.row = _row_index(attributes["r"])
        elif local == "f" and self.cell is not None:
            self.formula, self.formula_cell = [], self.cell
            self.parser.CharacterDataHandler = self.formula.append

    def _end(self, name):
        local = name.rpartition(":")[2]
        if local == "c":
            self.column += 1
            self.cell = None
        elif local == "row":
            self.row += 1
            self.column = 0
        elif local == "f" and self.formula is not None:
            text = "".join(self.formula)
            row, column = self.formula_cell
            shown = "=" + text if text else "=…"
            self.scan.formulas[(row + 1, column)] = shown[:FORMULA_SHOWN]
            self.formula = None
            self.parser.CharacterDataHandler = None


def _position(reference: str) -> tuple[int, int]:
    """ "B12" → (11, 1), 0-based; anything calamine would not read is a damaged file."""
    match = REFERENCE.fullmatch(reference)
    if not match or int(match.group(2)) < 1:
        raise damaged()
    return int(match.group(2)) - 1, column_number(match.group(1)) - 1


def _row_index(reference: str) -> int:
    digits = reference.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    if not digits.isdigit() or not digits.isascii() or int(digits) < 1:
        raise damaged()
    return int(digits) - 1
