"""Measure an uploaded .xlsx package before any reader opens it.

python-calamine (Rust) holds a sheet as a dense grid of 32 bytes a cell over the sheet's extent,
from its first to its last non-empty cell, and reserves room for as many shared strings as the
file declares. Rust aborts the whole process when an allocation fails; Python cannot catch it.
So a 1.6 KB workbook with cells at A1 and XFD1048576 asks for 512 GB and kills the server (A1 and
Z1000000 still take 0.9 GB), and ``uniqueCount="1000000000000"`` in sharedStrings.xml asks for
24 TB. Before calamine sees a file, ``inspect_workbook``:

1. lists the zip: at most ``IMPORT_MAX_PARTS`` files, stored or deflated, no two names that a
   case-insensitive reader would confuse, each declared size within ``IMPORT_MAX_PART_BYTES``
   and all of them within ``IMPORT_MAX_UNZIPPED_BYTES``;
2. inflates every file itself and counts the real bytes against the same limits: a declared
   size or CRC can lie, and a reader that trusts them inflates what the zip really holds
   (a deflate stream can be a thousand times its compressed size);
3. finds the parts of the sheets that will be imported as calamine does (``_rels/.rels`` →
   ``workbook.xml.rels`` → ``workbook.xml``) and streams their XML (``sheet_scan``) for the
   real extent, the highest row and column of any cell (the declared ``<dimension>`` is never
   read), and for the cells that hold a formula;
4. counts the shared strings, declared and real.

Nothing here costs more with a larger declared size: every step is linear in the bytes the zip
really holds, which steps 1–2 bound. Only the sheets that will be imported are scanned: a
formula or a wide layout in a helper sheet nobody imports is no reason to refuse the file.
"""

import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.parsers import expat

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .errors import ImportFileError
from .sheet_scan import (
    LONGEST_TAG,
    ExactScan,
    FastScan,
    SheetScan,
    complete_tags,
    damaged,
    xml_parser,
)

CHUNK = 1 << 20
LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, then name and extra field lengths
OFFICE_DOCUMENT = "/relationships/officeDocument"


def column_letters(number: int) -> str:
    """1 → A, 26 → Z, 27 → AA, 16384 → XFD."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def inspect_workbook(path: Path, pick: Callable[[list[str]], list[str]]) -> dict[str, SheetScan]:
    """Check the package and scan the sheets ``pick`` chooses from the workbook's sheet names.

    Returns sheet name → scan. Raises ``ImportFileError`` for anything a reader should not be
    given; the caller still applies the per-kind row limits (``check_extent``).
    """
    with Path(path).open("rb") as handle:
        try:
            archive = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, OSError, ValueError):
            raise damaged() from None
        with archive:
            package = _Package(handle, archive)
            package.check_every_part()
            sheets = package.sheet_parts()
            scans = {name: package.scan_sheet(sheets[name]) for name in pick(list(sheets))}
            package.check_shared_strings()
    return scans


def check_extent(scan: SheetScan, sheet_name: str, max_data_rows: int) -> None:
    """Refuse a sheet whose real extent a reader would have to hold as a dense grid."""
    columns, rows = scan.last_column, scan.last_row
    if columns > settings.IMPORT_MAX_COLUMNS:
        raise ImportFileError(
            _(
                "Sheet %(sheet)s has cells up to column %(column)s; at most %(limit)d columns "
                "(up to %(last)s) are accepted. Delete everything right of your data, including "
                "cells that only look empty."
            )
            % {
                "sheet": sheet_name,
                "column": column_letters(columns),
                "limit": settings.IMPORT_MAX_COLUMNS,
                "last": column_letters(settings.IMPORT_MAX_COLUMNS),
            }
        )
    if rows - 1 > max_data_rows:
        raise ImportFileError(
            _(
                "Sheet %(sheet)s has cells down to row %(row)d; at most %(limit)d data rows are "
                "accepted. Split the file, or delete stray cells below your data."
            )
            % {"sheet": sheet_name, "row": rows, "limit": max_data_rows}
        )
    if rows * columns > settings.IMPORT_MAX_CELLS:
        raise ImportFileError(
            _(
                "Sheet %(sheet)s spans %(rows)d rows by %(columns)d columns; at most %(limit)d "
                "cells are accepted. Split the file, or delete stray cells around your data."
            )
            % {
                "sheet": sheet_name,
                "rows": rows,
                "columns": columns,
                "limit": settings.IMPORT_MAX_CELLS,
            }
        )


class _Package:
    """The zip of one upload, read with this module's own inflater (see the module docstring)."""

    def __init__(self, handle, archive: zipfile.ZipFile):
        self.handle = handle
        self.infos = archive.infolist()
        self.unzipped = 0
        self.workbook_dir = "xl/"
        self._check_listing()
        # Calamine finds parts by lower-cased name with "\" read as "/"; so does this module.
        self.by_key = {info.filename.replace("\\", "/").lower(): info for info in self.infos}

    def _check_listing(self):
        if len(self.infos) > settings.IMPORT_MAX_PARTS:
            raise ImportFileError(
                _("The workbook holds %(count)d files; at most %(limit)d are accepted.")
                % {"count": len(self.infos), "limit": settings.IMPORT_MAX_PARTS}
            )
        keys = [info.filename.replace("\\", "/").lower() for info in self.infos]
        if len(set(keys)) != len(keys):
            raise damaged()
        declared = 0
        for info in self.infos:
            if info.flag_bits & 0x1:
                raise ImportFileError(
                    _("The workbook is password-protected; remove the password and try again.")
                )
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise ImportFileError(
                    _(
                        "The workbook is compressed in a way spreadsheet programs do not use; "
                        "open it and save it again as .xlsx."
                    )
                )
            self._check_part_size(info, info.file_size)
            declared += info.file_size
            self._check_total(declared)

    def _check_part_size(self, info, size: int):
        if size > settings.IMPORT_MAX_PART_BYTES:
            raise ImportFileError(
                _("Part %(part)s of the workbook unpacks to over %(limit)s; it is refused.")
                % {
                    "part": info.filename[:100],
                    "limit": filesizeformat(settings.IMPORT_MAX_PART_BYTES),
                }
            )

    def _check_total(self, size: int):
        if size > settings.IMPORT_MAX_UNZIPPED_BYTES:
            raise ImportFileError(
                _("The workbook unpacks to over %(limit)s; it is refused. Split it into parts.")
                % {"limit": filesizeformat(settings.IMPORT_MAX_UNZIPPED_BYTES)}
            )

    # --- reading parts -------------------------------------------------------------------
    def chunks(self, info) -> Iterator[bytes]:
        """The unzipped bytes of a part, checked against the limits as they come.

        Reads the compressed bytes where the central directory says they are and inflates them
        in steps of at most ``CHUNK`` bytes, so a bomb never inflates at once; at the end the
        deflate stream must end exactly there, with the declared size and CRC.
        """
        self.handle.seek(info.header_offset)
        signature, name_length, extra_length = LOCAL_HEADER.unpack(self.handle.read(30))
        if signature != b"PK\x03\x04":
            raise damaged()
        self.handle.seek(info.header_offset + 30 + name_length + extra_length)
        inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
        left, size, crc = info.compress_size, 0, 0
        while left > 0:
            raw = self.handle.read(min(CHUNK, left))
            if not raw:
                raise damaged()
            left -= len(raw)
            pending = raw
            while pending:
                if inflater is None:
                    data, pending = pending, b""
                else:
                    try:
                        data = inflater.decompress(pending, CHUNK)
                    except zlib.error:
                        raise damaged() from None
                    pending = inflater.unconsumed_tail
                    if inflater.eof and (pending or inflater.unused_data or left):
                        raise damaged()  # data after the end of the deflate stream
                size += len(data)
                self.unzipped += len(data)
                self._check_part_size(info, size)
                self._check_total(self.unzipped)
                crc = zlib.crc32(data, crc)
                if data:
                    yield data
        if inflater is not None and not inflater.eof:
            raise damaged()
        if size != info.file_size or crc != info.CRC:
            raise damaged()

    def check_every_part(self):
        """Inflate everything once: the real sizes, not the declared ones, meet the limits."""
        for info in self.infos:
            for _chunk in self.chunks(info):
                pass
        self.unzipped = 0  # the sheets are inflated again below; count that separately

    def read_small(self, name: str) -> bytes | None:
        info = self.by_key.get(name.replace("\\", "/").lower())
        return None if info is None else b"".join(self.chunks(info))

    # --- finding the sheets --------------------------------------------------------------
    def sheet_parts(self) -> dict[str, zipfile.ZipInfo]:
        """Sheet name → its part, resolved as calamine resolves it (first sheet of a name wins)."""
        for attributes in _elements(self.read_small("_rels/.rels"), "Relationship"):
            if attributes.get("Type", "").endswith(OFFICE_DOCUMENT) and "Target" in attributes:
                target = attributes["Target"]
                self.workbook_dir = target[: target.rfind("/") + 1].removeprefix("/")
        workbook_dir = self.workbook_dir
        relationships = {}
        rels = self.read_small(f"{workbook_dir}_rels/workbook.xml.rels")
        if rels is None:
            raise damaged()
        for attributes in _elements(rels, "Relationship"):
            if "Id" in attributes:
                relationships[attributes["Id"]] = attributes.get("Target", "")
        parts = {}
        for attributes in _elements(self.read_small(f"{workbook_dir}workbook.xml"), "sheet"):
            ids = [value for key, value in attributes.items() if key.rpartition(":")[2] == "id"]
            name = attributes.get("name", "")
            if not ids or ids[-1] not in relationships:
                raise damaged()
            target = relationships[ids[-1]]
            path = target[1:] if target.startswith("/") else workbook_dir + target
            info = self.by_key.get(path.lower())
            if info is not None:
                parts.setdefault(name, info)
        return parts

    def scan_sheet(self, info) -> SheetScan:
        scan = FastScan(info.filename).run(self.chunks(info))
        if scan is None:
            scan = ExactScan(info.filename).run(self.chunks(info))
        return scan

    def check_shared_strings(self):
        """Calamine reserves a slot for every string the table declares, then keeps them all.

        The declared ``uniqueCount`` is read from the table's first element as calamine reads
        it; the real strings are counted generously (any element named ``si``).
        """
        info = self.by_key.get(f"{self.workbook_dir}sharedstrings.xml")
        if info is None:
            return
        parser = xml_parser()
        declared = []

        def start(name, attributes):
            if name.rpartition(":")[2] == "sst":
                declared.append(attributes.get("uniqueCount", "0"))
                parser.StartElementHandler = None  # the rest is read at C speed

        parser.StartElementHandler = start
        counted, tail = 0, b""
        try:
            for chunk in self.chunks(info):
                parser.Parse(chunk, False)
                data = tail + chunk
                cut = complete_tags(data)
                counted += _strings_in(data[:cut])
                tail = data[cut:]
                if len(tail) > LONGEST_TAG:  # one huge tag, at most one string
                    counted, tail = counted + 1, b""
            parser.Parse(b"", True)
        except expat.ExpatError:
            raise damaged() from None
        counted += _strings_in(tail)
        numbers = [int(value) for value in declared if value.strip().isdigit()]
        count = max([counted, *numbers])
        if count > settings.IMPORT_MAX_CELLS:
            raise ImportFileError(
                _("The workbook declares %(count)d shared strings; at most %(limit)d are accepted.")
                % {"count": count, "limit": settings.IMPORT_MAX_CELLS}
            )


def _strings_in(data: bytes) -> int:
    """Shared strings (``<si>``, ``<x:si>``) in complete tags, counted generously and fast."""
    return data.count(b"<si") + data.count(b":si")


def _elements(data: bytes | None, local_name: str) -> list[dict]:
    """The attributes of every element of that local name in a small XML part."""
    if data is None:
        raise damaged()
    found = []
    parser = xml_parser()

    def start(name, attributes):
        if name.rpartition(":")[2] == local_name:
            found.append(attributes)

    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        raise damaged() from None
    return found
