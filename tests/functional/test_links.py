"""services/links.py is the one place that builds the service's addresses, inside or outside a request."""
from __future__ import annotations

import re
from pathlib import Path

from app.services import links
from tests.factories import file_complaint

SERVICES = Path(__file__).resolve().parents[2] / "app" / "services"


def test_links_follow_the_route_map_and_the_public_base_url(app):
    app.config["PUBLIC_BASE_URL"] = "https://complaints.example.go.th/sujarit/"
    with app.app_context():  # no request: the scheduler's e-mails are built like this
        assert links.tracking("K7M2-QX9P") == "https://complaints.example.go.th/sujarit/track/K7M2-QX9P"
        assert links.tracking_lookup() == "https://complaints.example.go.th/sujarit/track/"
        assert links.survey("ABC") == "https://complaints.example.go.th/sujarit/survey/ABC"
        assert links.url("public.handbook", kind="general") == "https://complaints.example.go.th/sujarit/handbook/general"
        assert links.path("public.handbook", kind="corruption") == "/handbook/corruption"
        assert links.set_password("T0K") == "https://complaints.example.go.th/sujarit/auth/set-password/T0K"


def test_staff_case_links_carry_the_random_uid_never_the_sequential_id(app):
    with app.app_context():
        case, _code = file_complaint()
        url = links.staff_case(case)
    assert url == app.config["PUBLIC_BASE_URL"].rstrip("/") + f"/staff/cases/{case.uid}"
    assert not re.search(rf"/cases/{case.id}\b", url)
    assert links.for_typing("https://x.go.th/track/?code=1#a") == "x.go.th/track/"
    assert links.for_typing("http://127.0.0.1:5000/survey/AB") == "http://127.0.0.1:5000/survey/AB"


def test_no_service_builds_a_url_by_hand_or_with_url_for():
    offenders = []
    for path in SERVICES.rglob("*.py"):
        if path.name == "links.py":
            continue
        source = path.read_text(encoding="utf-8")
        hand_written = re.search(r"[\"']/(track|survey|staff|handbook|auth|admin|attachments|receipt)\b", source)
        if "url_for" in source or "PUBLIC_BASE_URL" in source or hand_written:
            offenders.append(path.name)
    assert offenders == []
