"""Public pages, error pages, language and security headers."""
from __future__ import annotations


def test_home_page_is_thai_and_explains_the_15_day_rule(client):
    response = client.get("/")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="th">' in text
    assert "ภายใน 15 วัน" in text
    assert "แจ้งเบาะแส" in text


def test_english_is_available_as_second_language(client):
    text = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in text
    assert "within 15 days" in text
    # The choice sticks for the next page.
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_unknown_page_gives_thai_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ท่านต้องการ" in response.get_data(as_text=True)


def test_api_errors_are_json_with_the_contract_shape(client):
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    body = response.get_json()
    assert set(body["error"]) == {"code", "message", "fields"}


def test_unexpected_error_gives_thai_500_without_stack_trace(app, client, caplog):
    @app.route("/_boom")
    def boom():
        raise RuntimeError("secret detail 0812345678")

    boom.is_public = True
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/_boom")
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "ระบบขัดข้องชั่วคราว" in text
    assert "Traceback" not in text and "secret detail" not in text
    assert "0812345678" not in caplog.text


def test_security_headers_are_set(client):
    headers = client.get("/").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"


def test_health_endpoint_reports_database_ok(client):
    assert client.get("/api/v1/health").get_json() == {"status": "ok"}
