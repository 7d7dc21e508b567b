"""The portal's JSON API, version 1 (`/api/v1`, docs/api.md): flask-smorest blueprints
over the same operations and the same access policy as the pages, their OpenAPI 3.1
document generated from the code (`/api/v1/openapi.json`), and Swagger UI served by the
portal itself (`/api/v1/docs`)."""

from __future__ import annotations

import http
from typing import Any

from flask import Flask, Request
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from ...extensions import csrf
from . import cases, docs, filing, me, public, webhooks
from .common import API_PREFIX
from .oauth import bp as oauth_bp
from .oauth import init_oauth
from .problems import MEDIA_TYPE
from .schemas import Problem

BLUEPRINTS = (cases.bp, filing.bp, me.bp, public.bp, webhooks.bp)

DESCRIPTION = """The JSON API of the dispute portal: the cases a caller may see, their trails,
documents, submissions and rulings; notifications; and, without a token, ruling verification
and the public register. Every call is answered by the same access policy as the portal's
pages: a case the caller may not see answers 404. Errors are `application/problem+json`
(RFC 9457), each with a stable `type`. See the portal's docs/api.md."""


class PortalApi(Api):
    """flask-smorest's Api, answering errors as problems (app.py) rather than in its own
    JSON, and documenting them as such."""

    ERROR_SCHEMA = Problem

    def _register_error_handlers(self) -> None:
        """None here: the app's error handlers answer /api/ errors with problems (they also
        see the errors no blueprint raised: an unknown address, a method not allowed)."""

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "An error (application/problem+json)", "schema": Problem}
        prepare_response(response, self.spec, MEDIA_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def init_api(app: Flask) -> None:
    app.config.update(
        API_TITLE="Dispute Portal API",
        API_VERSION="1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX=API_PREFIX,
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {"description": DESCRIPTION},
            "security": [{"bearer": []}, {"oauth2": []}],
        },
    )
    api = PortalApi(app)
    api.spec.components.security_scheme(
        "bearer",
        {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token (`dpat_…`), made on the account page.",
        },
    )
    for bp in BLUEPRINTS:
        csrf.exempt(bp)  # a bearer token, never a cookie: no page can make a browser send it
        api.register_blueprint(bp)
    api.spec.components.security_scheme(
        "oauth2",
        {
            "type": "oauth2",
            "description": "A government system's client, registered by the admin.",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": f"{API_PREFIX}/oauth/token",
                    "scopes": {
                        "read": "See and download what the client's account may see",
                        "read_write": "Also file and act, as that account may",
                    },
                }
            },
        },
    )
    app.register_blueprint(docs.bp)
    init_oauth(app)
    csrf.exempt(oauth_bp)


def is_api(request: Request) -> bool:
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")
