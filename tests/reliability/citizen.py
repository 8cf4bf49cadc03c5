"""A citizen's browser over real HTTP: cookies, the CSRF token of the form, a multipart POST, the receipt."""
from __future__ import annotations

import http.cookiejar
import json
import re
import uuid
import urllib.error
import urllib.request

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_CODE = re.compile(r'data-testid="tracking-code">([0-9A-Z-]+)<')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _multipart(fields: dict[str, str], files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for filename, data in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{filename}"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Citizen:
    """One browser: its own cookie jar, one new connection per request."""

    def __init__(self, base: str, timeout: float = 30):
        self.base, self.timeout = base, timeout
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect())

    def _open(self, path: str, data: bytes | None = None, content_type: str | None = None) -> tuple[int, str]:
        request = urllib.request.Request(self.base + path, data=data, headers={"Connection": "close"})
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def file_with_attachment(self, channel_path: str, subject: str, attachment: bytes) -> tuple[int, str | None]:
        """Fill in and send a form with one file; (status of the POST, tracking code once the receipt shows it)."""
        status, page = self._open(channel_path)
        if status != 200:
            return status, None
        body, content_type = _multipart({"csrf_token": _CSRF.search(page).group(1), "subject": subject,
                                         "details": "รายละเอียดของเรื่องที่ร้องเรียน"}, [("photo.png", attachment)])
        status, _ = self._open(channel_path, body, content_type)
        if status != 303:
            return status, None
        receipt_status, receipt = self._open("/receipt")
        found = _CODE.search(receipt) if receipt_status == 200 else None
        return status, found.group(1) if found else None

    def file_by_api(self, subject: str) -> tuple[int, str | None]:
        body = json.dumps({"subject": subject, "details": "รายละเอียดผ่าน API"}).encode()
        status, text = self._open("/api/v1/complaints", body, "application/json")
        return status, json.loads(text)["tracking_code"] if status == 201 else None
