"""Role boundaries: every route declares who may use it, and each role gets exactly its pages."""
from __future__ import annotations

import pytest

from app.models.people import ROLES
from tests.factories import PASSWORD, make_user

#: Pages and the roles that may open them (everything else must be refused).
EXPECTED = {
    "/staff/": set(ROLES),
    "/auth/password": set(ROLES),
    "/executive/": {"executive"},
    "/admin/": {"admin"},
    "/staff/cases": {"intake", "unit_officer"},
    "/staff/reports": {"integrity", "oversight"},
    "/staff/cases/new": {"intake", "integrity"},
    "/staff/notifications": set(ROLES),
    "/staff/approvals": {"integrity", "oversight", "executive"},
    "/staff/access-log": {"integrity", "oversight", "executive"},
}


#: The staff receipt exists only while the server holds the code of a case the officer just entered.
HELD_RECEIPT = {"/staff/receipt", "/staff/receipt/print", "/staff/receipt.pdf"}


def test_every_route_declares_its_audience(app):
    undeclared = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        if not getattr(view, "is_public", False) and not hasattr(view, "required_roles"):
            undeclared.append(rule.rule)
    assert undeclared == [], f"routes without an access decision: {undeclared}"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_pages(app, client, auth, role):
    make_user(role, username=f"r_{role}")
    assert auth.login(f"r_{role}", PASSWORD).status_code == 302
    for url, allowed in EXPECTED.items():
        status = client.get(url).status_code
        if role in allowed:
            assert status == 200, f"{role} should open {url}, got {status}"
        else:
            assert status in (403, 404), f"{role} must not open {url}, got {status}"


@pytest.mark.parametrize("role", ROLES)
def test_every_protected_page_follows_its_declared_roles(app, client, auth, role):
    """Walk every parameterless GET page of the staff areas as each role."""
    make_user(role, username=f"w_{role}")
    auth.login(f"w_{role}", PASSWORD)
    checked = 0
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        roles = getattr(view, "required_roles", None)
        if roles is None or rule.arguments or "GET" not in rule.methods:
            continue
        status = client.get(rule.rule).status_code
        if rule.rule in HELD_RECEIPT:
            assert status == 404 or role not in roles, f"{role} -> {rule.rule}: {status}"
        elif not roles or role in roles:
            assert status == 200, f"{role} -> {rule.rule}: {status}"
        else:
            assert status in (403, 404), f"{role} -> {rule.rule}: {status}"
        checked += 1
    assert checked >= 3


def test_anonymous_visitor_is_sent_to_sign_in(client):
    for url in EXPECTED:
        response = client.get(url)
        assert response.status_code == 302
        assert "/auth/login" in response.headers["Location"]


def test_a_user_with_two_roles_gets_both_areas(client, auth):
    make_user("executive", "admin", username="boss")
    auth.login("boss", PASSWORD)
    assert client.get("/executive/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_roles_required_can_hide_a_page_behind_404(app, client, auth):
    from app.security.access import roles_required

    @app.route("/_probe/secret/<int:case_id>")
    @roles_required("integrity", hide=True)
    def probe(case_id):
        return "secret"

    make_user("intake", username="nosy")
    auth.login("nosy", PASSWORD)
    assert client.get("/_probe/secret/1").status_code == 404
