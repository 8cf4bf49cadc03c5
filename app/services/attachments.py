"""Attachments: checked by content, images re-encoded without metadata, stored encrypted outside the web root."""
from __future__ import annotations

import io
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pikepdf
import pillow_heif
from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select

from ..extensions import db
from ..labels import lazy_text as _l
from ..models import Attachment, Case
from ..security import crypto
from ..security.columns import attachment_aad

#: Accepted kinds, detected from the first bytes; office files are refused because their
#: metadata (author, organisation) identifies whoever saved them. MPO is the multi-picture JPEG
#: many phone cameras write (its first frame is kept); HEIF is the iPhone's HEIC.
_IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "HEIF")  # Pillow opens MPO through its JPEG plugin
_JPEG_FORMATS = ("JPEG", "MPO", "HEIF")
_MAX_IMAGE_SIDE = 2560
#: Largest picture accepted, read from the header before anything is decoded (a 48 MP phone photo fits).
MAX_IMAGE_PIXELS = 50_000_000
#: Pixels one request may decode over all its files: five ordinary phone photos, not five bombs.
REQUEST_DECODE_PIXELS = 120_000_000
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS  # Pillow's own guard, behind ours
pillow_heif.register_heif_opener()

_ONLY_IMAGES_OR_PDF = _l("รับเฉพาะไฟล์รูปภาพ (JPG, PNG, WEBP, GIF, HEIC) หรือ PDF")


class AttachmentError(ValueError):
    """A file that cannot be accepted; the message is for the citizen (lazy: Thai, translated when shown)."""


class StorageError(OSError):
    """The attachment store could not take a file (disk full, quota, read-only); nothing was kept."""


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


class DecodeBudget:
    """Pixels one request may still decode; shared by the files of one submission."""

    def __init__(self, pixels: int | None = None):
        self.pixels = REQUEST_DECODE_PIXELS if pixels is None else pixels

    def spend(self, pixels: int) -> None:
        """:raise AttachmentError: the request's pictures together are too large to process."""
        if pixels > self.pixels:
            raise AttachmentError(_l("รูปภาพในการส่งครั้งนี้รวมกันใหญ่เกินไป กรุณาส่งรูปที่เล็กลงหรือน้อยลง"))
        self.pixels -= pixels


def max_bytes() -> int:
    """Largest single file accepted."""
    return int(current_app.config.get("ATTACHMENT_MAX_MB", 10)) * 1024 * 1024


def max_files() -> int:
    """Most files accepted with one submission."""
    return int(current_app.config.get("ATTACHMENT_MAX_FILES", 5))


def _safe_name(filename: str, extension: str) -> str:
    stem = Path(filename or "file").stem.strip()[:80] or "file"
    return f"{stem}.{extension}"


def clean(upload: Upload, budget: DecodeBudget | None = None) -> CleanFile:
    """Check a file by its content and strip what could identify the sender.

    :raise AttachmentError: too large, empty, over the request's decode budget, or not an accepted
        image or a PDF that parses.
    """
    data = upload.data
    if not data:
        raise AttachmentError(_l("ไฟล์ว่างเปล่า"))
    if len(data) > max_bytes():
        raise AttachmentError(_l("ไฟล์ใหญ่เกิน %(mb)s MB", mb=max_bytes() // (1024 * 1024)))
    if data.startswith(b"%PDF-"):
        return CleanFile(_safe_name(upload.filename, "pdf"), "application/pdf", _rewrite_pdf(data))
    try:
        return _clean_image(upload.filename, data, budget or DecodeBudget())
    except AttachmentError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise AttachmentError(_ONLY_IMAGES_OR_PDF) from exc


def _clean_image(filename: str, data: bytes, budget: DecodeBudget) -> CleanFile:
    """Decode within the limits, then rebuild from pixels alone: no EXIF, GPS, XMP, ICC or comment survives."""
    with Image.open(io.BytesIO(data), formats=_IMAGE_FORMATS) as image:
        kind = image.format
        width, height = image.size
        if width * height > MAX_IMAGE_PIXELS:  # from the header: nothing decoded yet
            raise AttachmentError(_l("รูปภาพใหญ่เกิน %(mp)s ล้านพิกเซล", mp=MAX_IMAGE_PIXELS // 1_000_000))
        if kind in ("JPEG", "MPO"):
            # JPEG decodes at 1/2, 1/4 or 1/8 scale for free: a 48 MP photo costs 12 MP, not 48.
            image.draft("RGB", (_MAX_IMAGE_SIDE, _MAX_IMAGE_SIDE))
        budget.spend(image.size[0] * image.size[1])
        image.seek(0)  # MPO and GIF: the first frame only
        image = ImageOps.exif_transpose(image)
        image.thumbnail((_MAX_IMAGE_SIDE, _MAX_IMAGE_SIDE))
        mode = "RGBA" if image.mode in ("RGBA", "LA", "P", "PA") and kind not in _JPEG_FORMATS else "RGB"
        if kind == "WEBP" and "A" not in image.getbands():
            mode = "RGB"
        converted = image.convert(mode)
        # A fresh image from raw pixels carries no info dict: Pillow would otherwise write the
        # source's comment and ICC profile (which names the device) back out.
        pixels = Image.frombytes(mode, converted.size, converted.tobytes())
    out = io.BytesIO()
    if mode == "RGB" and kind in (*_JPEG_FORMATS, "WEBP"):
        pixels.save(out, "JPEG", quality=88, optimize=True)
        return CleanFile(_safe_name(filename, "jpg"), "image/jpeg", out.getvalue())
    pixels.save(out, "PNG", optimize=True)
    return CleanFile(_safe_name(filename, "png"), "image/png", out.getvalue())


#: Keys that carry metadata, scripts, actions, attachments or forms, wherever they appear.
_PDF_DROP_KEYS = ("/Metadata", "/PieceInfo", "/AA", "/OpenAction", "/JS", "/JavaScript", "/EmbeddedFiles",
                  "/AcroForm", "/Names", "/URI", "/Launch", "/SubmitForm", "/Threads")


def _rewrite_pdf(data: bytes) -> bytes:
    """A new PDF written from the parsed objects of ``data``, without anything that runs or identifies.

    Document info, XMP, JavaScript, open and page actions, embedded files, forms and annotations
    (links, file attachments, widgets) are dropped; bytes outside the PDF objects (a polyglot's
    HTML) do not survive the rewrite.
    :raise AttachmentError: the file does not parse as a PDF, or is password-protected.
    """
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if "/Info" in pdf.trailer:
                del pdf.trailer["/Info"]
            for obj in [pdf.Root, *pdf.objects]:
                if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
                    for key in _PDF_DROP_KEYS:
                        if key in obj:
                            del obj[key]
            for page in pdf.pages:
                if "/Annots" in page.obj:
                    del page.obj["/Annots"]
            pdf.remove_unreferenced_resources()
            out = io.BytesIO()
            # static_id: the original /ID can carry a hash of the author's file path and time.
            pdf.save(out, static_id=True, fix_metadata_version=False, object_stream_mode=pikepdf.ObjectStreamMode.generate)
            return out.getvalue()
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError, RecursionError) as exc:
        raise AttachmentError(_l("ไฟล์ PDF นี้เปิดไม่ได้หรือมีรหัสผ่าน กรุณาส่งไฟล์ PDF ที่เปิดได้ตามปกติ")) from exc


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
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        fsync_dir(target.parent)  # the rename itself survives a power cut only once its folder is synced
    except OSError as exc:  # disk full, quota, read-only: nothing half-written may stay behind
        tmp.unlink(missing_ok=True)
        raise StorageError(exc.errno) from exc
    case.attachments.append(attachment)
    return attachment


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in ``path`` durable (the folder's own entry list is fsynced)."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def discard_files(attachments: list[Attachment]) -> None:
    """Remove stored files whose database rows were not committed."""
    for attachment in attachments:
        try:
            (storage_dir() / attachment.storage_name).unlink()
        except FileNotFoundError:
            pass


#: A file younger than this may belong to a submission still being committed.
ORPHAN_GRACE = timedelta(hours=1)


def remove_orphans(now: datetime, grace: timedelta = ORPHAN_GRACE, batch: int = 500) -> int:
    """Delete stored files that no attachment row names (a worker killed between writing and commit).

    Only files older than ``grace`` are considered; returns how many were removed.
    """
    cutoff = (now - grace).timestamp()
    candidates = [p for p in storage_dir().iterdir() if p.is_file() and p.stat().st_mtime < cutoff]
    removed = 0
    for start in range(0, len(candidates), batch):
        chunk = candidates[start:start + batch]
        known = set(db.session.scalars(select(Attachment.storage_name).where(
            Attachment.storage_name.in_([p.name for p in chunk]))))
        for path in chunk:
            if path.name not in known:
                path.unlink(missing_ok=True)
                removed += 1
    return removed


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
