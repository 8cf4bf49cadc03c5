"""Attachments: checked by content, images re-encoded without metadata, stored encrypted outside the web root."""
from __future__ import annotations

import io
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

from ..labels import lazy_text as _l
from ..models import Attachment, Case
from ..security import crypto
from ..security.columns import attachment_aad

#: Accepted kinds, detected from the first bytes; office files are refused because their
#: metadata (author, organisation) identifies whoever saved them.
_IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/png"}
_MAX_IMAGE_SIDE = 2560
Image.MAX_IMAGE_PIXELS = 50_000_000  # refuse decompression bombs


class AttachmentError(ValueError):
    """A file that cannot be accepted; the message is for the citizen (lazy: Thai, translated when shown)."""


@dataclass
class Upload:
    """A file as received from a form or the API, before checks."""

    filename: str
    data: bytes


@dataclass
class CleanFile:
    """A checked file ready to store: metadata removed, type known."""

    filename: str
    mimetype: str
    data: bytes


def max_bytes() -> int:
    """Largest single file accepted."""
    return int(current_app.config.get("ATTACHMENT_MAX_MB", 10)) * 1024 * 1024


def max_files() -> int:
    """Most files accepted with one submission."""
    return int(current_app.config.get("ATTACHMENT_MAX_FILES", 5))


def _safe_name(filename: str, extension: str) -> str:
    stem = Path(filename or "file").stem.strip()[:80] or "file"
    return f"{stem}.{extension}"


def clean(upload: Upload) -> CleanFile:
    """Check a file by its content and strip what could identify the sender.

    :raise AttachmentError: too large, empty, or not an accepted image or PDF.
    """
    data = upload.data
    if not data:
        raise AttachmentError(_l("ไฟล์ว่างเปล่า"))
    if len(data) > max_bytes():
        raise AttachmentError(_l("ไฟล์ใหญ่เกิน %(mb)s MB", mb=max_bytes() // (1024 * 1024)))
    if data.startswith(b"%PDF-"):
        return CleanFile(_safe_name(upload.filename, "pdf"), "application/pdf", data)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            probe.verify()
        if kind not in _IMAGE_FORMATS:
            raise AttachmentError(_l("รับเฉพาะไฟล์รูปภาพ (JPG, PNG, WEBP, GIF) หรือ PDF"))
        with Image.open(io.BytesIO(data)) as image:
            # Apply the EXIF rotation, then rebuild from pixels only: EXIF, GPS and XMP are gone.
            image = ImageOps.exif_transpose(image)
            image.thumbnail((_MAX_IMAGE_SIDE, _MAX_IMAGE_SIDE))
            pixels = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
            out = io.BytesIO()
            if kind == "JPEG" or (kind == "WEBP" and pixels.mode == "RGB"):
                pixels.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
                return CleanFile(_safe_name(upload.filename, "jpg"), "image/jpeg", out.getvalue())
            pixels.save(out, "PNG", optimize=True)
            return CleanFile(_safe_name(upload.filename, "png"), "image/png", out.getvalue())
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise AttachmentError(_l("รับเฉพาะไฟล์รูปภาพ (JPG, PNG, WEBP, GIF) หรือ PDF")) from exc


def storage_dir() -> Path:
    """The attachment store, outside the web root (instance folder by default)."""
    configured = current_app.config.get("ATTACHMENT_DIR")
    path = Path(configured) if configured else Path(current_app.instance_path) / "attachments"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


_aad = attachment_aad


def store(case: Case, clean_file: CleanFile, *, source: str = "citizen", uploaded_by_id: int | None = None,
          event_id: int | None = None) -> Attachment:
    """Encrypt a checked file to disk and return its (unsaved-to-DB-yet) row, added to the case."""
    attachment = Attachment(source=source, mimetype=clean_file.mimetype, size_bytes=len(clean_file.data),
                            storage_name=secrets.token_hex(20), uploaded_by_id=uploaded_by_id,
                            event_id=event_id)
    attachment.uid = secrets.token_hex(16)
    attachment.filename_enc = crypto.encrypt_text(clean_file.filename, _aad(attachment.uid) + ":name")
    blob = crypto.encrypt_bytes(clean_file.data, _aad(attachment.uid))
    target = storage_dir() / attachment.storage_name
    tmp = target.with_suffix(".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(blob)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    case.attachments.append(attachment)
    return attachment


def discard_files(attachments: list[Attachment]) -> None:
    """Remove stored files whose database rows were not committed."""
    for attachment in attachments:
        try:
            (storage_dir() / attachment.storage_name).unlink()
        except FileNotFoundError:
            pass


def read_name(attachment: Attachment) -> str:
    """Decrypt only the original file name."""
    return crypto.decrypt_text(attachment.filename_enc, _aad(attachment.uid) + ":name")


def read(attachment: Attachment) -> tuple[str, bytes]:
    """Decrypt an attachment: its original name and content."""
    name = read_name(attachment)
    blob = (storage_dir() / attachment.storage_name).read_bytes()
    return name, crypto.decrypt_bytes(blob, _aad(attachment.uid))


def reencrypt_file(attachment: Attachment) -> bool:
    """Re-encrypt the stored file under the active key (its name is a registered column); True if it changed."""
    from ..security.hashing import keyring

    path = storage_dir() / attachment.storage_name
    blob = path.read_bytes()
    if crypto.key_id_of(blob) == keyring().active:
        return False
    data = crypto.decrypt_bytes(blob, _aad(attachment.uid))
    tmp = path.with_suffix(".rekey")
    tmp.write_bytes(crypto.encrypt_bytes(data, _aad(attachment.uid)))
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return True
