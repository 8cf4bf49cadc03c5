"""File responses for downloads: one place for the headers every document download carries."""
from __future__ import annotations

from flask import Response

MIMETYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def file_response(data: bytes, filename: str, *, inline: bool = False, private: bool = False) -> Response:
    """``data`` as a download named ``filename`` (ASCII); ``private`` forbids any cache to keep it."""
    fmt = filename.rsplit(".", 1)[-1]
    response = Response(data, content_type=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    if private:
        response.headers["Cache-Control"] = "no-store"
    return response
