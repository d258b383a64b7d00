"""Uploaded evidence: only the file types offices use, recognised by their content
(not only by the name), and of a bounded size."""

from __future__ import annotations

import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# extension → (content type, how the content starts or what an OOXML package holds)
KINDS: dict[str, tuple[str, bytes | str]] = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".doc": ("application/msword", OLE),
    ".xls": ("application/vnd.ms-excel", OLE),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "word/",
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/"),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "ppt/",
    ),
}
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg"}


def check_upload(upload: UploadedFile) -> str:
    """The file's content type, or a ValidationError saying what is wrong with it."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s MB.") % {"limit": MAX_UPLOAD_BYTES // 2**20},
            code="too_large",
        )
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in KINDS:
        raise ValidationError(
            _(
                "Only PDF, images (PNG, JPEG) and Office files (Word, Excel, PowerPoint) "
                "are accepted."
            ),
            code="file_type",
        )
    content_type, signature = KINDS[extension]
    if not _content_matches(upload, signature):
        raise ValidationError(
            _("The file's content is not a %(ext)s file.") % {"ext": extension.lstrip(".").upper()},
            code="file_content",
        )
    return content_type


def _content_matches(upload: UploadedFile, signature: bytes | str) -> bool:
    upload.seek(0)
    try:
        if isinstance(signature, bytes):
            return upload.read(len(signature)) == signature
        try:
            with zipfile.ZipFile(upload) as package:
                names = package.namelist()
        except zipfile.BadZipFile:
            return False
        return "[Content_Types].xml" in names and any(n.startswith(signature) for n in names)
    finally:
        upload.seek(0)
