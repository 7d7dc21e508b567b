"""No stack trace or debug page ever reaches a user; errors carry a request id to the log."""

from __future__ import annotations

import logging

import pytest

from dispute_portal.public import views as public_views


@pytest.fixture
def broken_home(monkeypatch):
    def explode(*_args, **_kwargs):
        raise RuntimeError("secret internals: /srv/portal/instance/portal.db")

    monkeypatch.setattr(public_views, "render_template", explode)


def test_an_unexpected_error_shows_a_reference_not_a_traceback(browser, broken_home, caplog):
    with caplog.at_level(logging.ERROR):
        response = browser.get("/")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    request_id = response.headers["X-Request-ID"]
    assert request_id in body  # the user can quote it…
    assert "Traceback" not in body and "secret internals" not in body
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert logged and logged[0].exc_info  # …and it leads to the logged traceback


def test_a_proxy_request_id_is_kept_and_a_forged_one_replaced(browser):
    kept = browser.get("/", headers={"X-Request-ID": "lb-7f3a9c2e11"})
    assert kept.headers["X-Request-ID"] == "lb-7f3a9c2e11"
    forged = browser.get("/", headers={"X-Request-ID": "<script>alert(1)</script>"})
    assert forged.headers["X-Request-ID"] != "<script>alert(1)</script>"
    assert len(forged.headers["X-Request-ID"]) == 32


def test_every_response_carries_the_security_headers(browser):
    for path in ("/", "/login", "/verify", "/no-such-page"):
        headers = browser.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1]
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_json_to_a_form_is_refused_with_its_own_page(browser):
    response = browser.client.post(
        "/login",
        json={"email": "a@example.com", "password": "x"},
        headers={"X-CSRFToken": browser.csrf()},  # past CSRF: the content type is refused
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 415
    assert "Not accepted" in body and "Something went wrong" not in body


def test_a_nul_character_in_any_field_is_a_bad_request(browser):
    for path in ("/login?next=%00", "/verify?code=AB%00CD"):
        assert browser.get(path).status_code == 400
    response = browser.post("/login", {"email": "a\x00@example.com", "password": "x"})
    assert response.status_code == 400
    assert "could not be understood" in response.get_data(as_text=True)
