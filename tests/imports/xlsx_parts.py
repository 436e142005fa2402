"""Build .xlsx packages part by part, for the tests of files a spreadsheet program would not write.

openpyxl cannot write a cell at XFD1048576 without walking to it, a lying zip header, a formula
in a sheet nobody imports next to a broken one, or a shared-strings table that declares a
trillion strings; writing the XML parts with ``zipfile`` can, in a few hundred bytes.
"""

import struct
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def cell(ref: str, value) -> str:
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def rows_xml(rows: list[list], first_row: int = 1) -> str:
    """Rows of values from A1 on, written as Excel does (every cell with its reference)."""
    out = []
    for number, values in enumerate(rows, start=first_row):
        cells = "".join(
            cell(f"{chr(65 + index)}{number}", value)
            for index, value in enumerate(values)
            if value is not None
        )
        out.append(f'<row r="{number}">{cells}</row>')
    return "".join(out)


def worksheet(sheet_data: str, *, dimension: str | None = None) -> str:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{declared}'
        f"<sheetData>{sheet_data}</sheetData></worksheet>"
    )


def write_package(
    path,
    sheets: dict[str, str],
    *,
    shared_strings: str | None = None,
    targets: dict[str, str] | None = None,
    extra: dict[str, bytes | str] | None = None,
):
    """A minimal workbook: ``sheets`` maps a sheet name to its whole worksheet XML.

    ``targets`` may place a sheet's part elsewhere than ``xl/worksheets/sheetN.xml`` (the
    relationship names it; absolute targets start with "/").
    """
    targets = targets or {}
    entries, relationships, parts = [], [], {}
    for number, (name, xml) in enumerate(sheets.items(), start=1):
        target = targets.get(name, f"worksheets/sheet{number}.xml")
        part = target[1:] if target.startswith("/") else f"xl/{target}"
        parts[part] = xml
        entries.append(f'<sheet name="{escape(name)}" sheetId="{number}" r:id="rId{number}"/>')
        relationships.append(
            f'<Relationship Id="rId{number}" Type="{DOC_RELS}/worksheet" Target="{target}"/>'
        )
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = shared_strings
        relationships.append(
            f'<Relationship Id="rIdS" Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>'
            f"{''.join(entries)}</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{RELS}">{"".join(relationships)}'
            "</Relationships>",
        )
        for part, xml in {**parts, **(extra or {})}.items():
            archive.writestr(part, xml)
    return path


def shared_strings(strings: list[str], *, unique_count: int | None = None) -> str:
    count = len(strings) if unique_count is None else unique_count
    items = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
    return (
        f'<?xml version="1.0"?><sst xmlns="{MAIN}" count="{len(strings)}" '
        f'uniqueCount="{count}">{items}</sst>'
    )


def lie_about_size(path, member: str, size: int) -> None:
    """Declare ``size`` bytes (with the CRC of the real data's first ``size`` bytes) for a member.

    Python's zipfile then reads only those bytes and is satisfied; the deflate stream, which
    other readers inflate to its end, still holds everything.
    """
    path = Path(path)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
        crc = zlib.crc32(archive.read(member)[:size])
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, info.header_offset + 14, crc)  # local header: CRC
    struct.pack_into("<I", data, info.header_offset + 22, size)  # and uncompressed size
    end = data.rfind(b"PK\x05\x06")
    entries, _size, position = struct.unpack_from("<HII", data, end + 10)
    for _entry in range(entries):
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, position + 28)
        if data[position + 46 : position + 46 + name_length] == member.encode():
            struct.pack_into("<I", data, position + 16, crc)  # central directory: CRC
            struct.pack_into("<I", data, position + 24, size)  # and uncompressed size
        position += 46 + name_length + extra_length + comment_length
    path.write_bytes(bytes(data))
