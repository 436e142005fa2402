"""What an evidence file is, read from its bytes: PDF, JPEG or PNG, 1 byte to 10 MB.

The name and the browser's content type are not trusted: a file is what its first bytes (and
its end marker) say. A renamed file (HTML or an image called ``.pdf``) is refused, naming what
it is not, so the user knows which file to upload instead.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import EvidenceType

SIGNATURES = (
    (b"%PDF-", EvidenceType.PDF),
    (b"\x89PNG\r\n\x1a\n", EvidenceType.PNG),
    (b"\xff\xd8\xff", EvidenceType.JPEG),
)
END_MARKERS = {
    EvidenceType.PDF: b"%%EOF",
    EvidenceType.PNG: b"IEND",
    EvidenceType.JPEG: b"\xff\xd9",
}
EXTENSIONS = {
    ".pdf": EvidenceType.PDF,
    ".png": EvidenceType.PNG,
    ".jpg": EvidenceType.JPEG,
    ".jpeg": EvidenceType.JPEG,
}
TAIL_BYTES = 2048


def sniff(upload) -> str:
    """The evidence type of an uploaded file, or ``ValidationError`` saying why not."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    limit = settings.RETURNS_EVIDENCE_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, code="size"
        )
    name = (upload.name or "").lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    if extension not in EXTENSIONS:
        raise ValidationError(_("Upload a PDF, JPG or PNG file."), code="extension")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(max(size - TAIL_BYTES, 0))
    tail = upload.read(TAIL_BYTES)
    upload.seek(0)
    kind = next((kind for signature, kind in SIGNATURES if head.startswith(signature)), None)
    if kind is None or END_MARKERS[kind] not in tail:
        raise ValidationError(
            _("This file is not a PDF, JPG or PNG document, whatever its name says."),
            code="content",
        )
    if EXTENSIONS[extension] != kind:
        raise ValidationError(
            _("The file's name says %(named)s but its content is %(actual)s.")
            % {
                "named": EvidenceType(EXTENSIONS[extension]).label,
                "actual": EvidenceType(kind).label,
            },
            code="renamed",
        )
    return kind
