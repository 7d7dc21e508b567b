"""The portal's public address: production needs it (rulings, invitations and reset links
print it; only requests for its host are served), elsewhere its absence is said at start-up;
a forged Host header never reaches a Location; HSTS covers the subdomains."""

from __future__ import annotations

import logging

import pytest

from dispute_portal import create_app
from dispute_portal.config import Config, DevelopmentConfig, TestingConfig
from dispute_portal.db import db
from tests.conftest import ProductionForTests

PUBLIC = "https://disputes.example"


@pytest.fixture
def prod(db_url):
    class Prod(ProductionForTests):
        SECRET_KEY = "x" * 48
        DATABASE_URL = db_url
        PUBLIC_BASE_URL = PUBLIC

    application = create_app(Prod)
    yield application
    db.engine_for(application).dispose()


def test_hsts_covers_the_subdomains(prod):
    response = prod.test_client().get("/login", base_url=PUBLIC)
    assert response.status_code == 200
    hsts = [p.strip() for p in response.headers["Strict-Transport-Security"].split(";")]
    assert "includeSubDomains" in hsts and "max-age=31536000" in hsts


def test_production_serves_its_public_host_only(prod):
    client = prod.test_client()
    assert client.get("/cases", base_url=PUBLIC).headers["Location"].startswith(f"{PUBLIC}/cases/")
    forged = client.get("/cases", base_url="https://evil.example")
    assert forged.status_code == 400
    assert "evil.example" not in forged.headers.get("Location", "")
    assert client.get("/login", headers={"Host": "evil.example"}).status_code == 400


def test_a_forged_host_never_reaches_a_redirect_in_the_tests_and_the_demo(app, caplog):
    client = app.test_client()
    assert client.get("/cases").status_code == 308  # localhost, as every test client asks
    assert client.get("/cases", base_url="http://127.0.0.1:5000").status_code == 308
    with caplog.at_level(logging.WARNING):
        forged = client.get("/cases", base_url="http://evil.example")
    assert forged.status_code == 400
    assert "evil.example" not in forged.headers.get("Location", "")
    assert "could not be understood" in forged.get_data(as_text=True)
    assert not caplog.records  # a refused host is no error of the portal's


def test_more_host_names_can_be_trusted(db_url, monkeypatch):
    class Prod(ProductionForTests):
        SECRET_KEY = "x" * 48
        DATABASE_URL = db_url
        PUBLIC_BASE_URL = PUBLIC
        TRUSTED_HOSTS_EXTRA = "portal.internal, .centre.kz"

    application = create_app(Prod)
    try:
        assert application.config["TRUSTED_HOSTS"] == [
            "disputes.example",
            "portal.internal",
            ".centre.kz",
        ]
        client = application.test_client()
        assert client.get("/healthz", base_url="http://portal.internal").status_code == 200
    finally:
        db.engine_for(application).dispose()


@pytest.mark.parametrize(
    "url", [None, "", "http://127.0.0.1:5000", "http://disputes.example", "https://localhost"]
)
def test_production_refuses_to_start_without_its_public_https_address(db_url, url):
    class Prod(ProductionForTests):
        SECRET_KEY = "x" * 48
        DATABASE_URL = db_url
        PUBLIC_BASE_URL = url

    with pytest.raises(SystemExit, match="PUBLIC_BASE_URL"):
        create_app(Prod)


def test_another_configuration_warns_of_the_default_public_address(db_url, caplog):
    class Staging(Config):
        DATABASE_URL = db_url
        SECRET_KEY = "x" * 48

    with caplog.at_level(logging.WARNING):
        application = create_app(Staging)
    db.engine_for(application).dispose()
    warned = [r for r in caplog.records if "PUBLIC_BASE_URL" in r.getMessage()]
    assert warned and warned[0].levelno == logging.WARNING
    assert "127.0.0.1:5000" in warned[0].getMessage()


@pytest.mark.parametrize("base", [DevelopmentConfig, TestingConfig])
def test_development_and_the_tests_start_quietly_on_the_default_address(db_url, base, caplog):
    class Local(base):
        DATABASE_URL = db_url

    with caplog.at_level(logging.WARNING):
        application = create_app(Local)
    db.engine_for(application).dispose()
    assert not [r for r in caplog.records if "PUBLIC_BASE_URL" in r.getMessage()]
