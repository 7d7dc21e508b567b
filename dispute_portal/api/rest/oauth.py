"""The token endpoint of OAuth 2.0 client credentials (RFC 6749 section 4.4), by Authlib:
a government system authenticates with its client id and secret (HTTP Basic, or in the
form) and receives a bearer access token for an hour. Its answers, errors included, are
OAuth's own JSON (RFC 6749 section 5), as OAuth clients expect."""

from __future__ import annotations

import hmac
from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc6749.errors import InvalidScopeError
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from flask import Blueprint, Flask
from flask.typing import ResponseReturnValue

from ...db import db
from .. import clients
from ..models import OAuthClient, TokenScope
from ..tokens import digest
from .caller import count_public

bp = Blueprint("api_oauth", __name__)
bp.before_request(count_public)
server = AuthorizationServer()


class Client(ClientMixin):
    """A registered client as Authlib asks of one."""

    def __init__(self, row: OAuthClient) -> None:
        self.row = row

    def get_client_id(self) -> str:
        return self.row.client_id

    def get_default_redirect_uri(self) -> None:
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        granted = clients.granted(self.row, scope)
        if granted is None:
            raise InvalidScopeError()
        return granted.value

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(digest(client_secret), self.row.secret_digest)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint == "token" and method in CredentialsGrant.TOKEN_ENDPOINT_AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return bool(grant_type == CredentialsGrant.GRANT_TYPE)


class CredentialsGrant(grants.ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]


def _query_client(client_id: str) -> Client | None:
    row = clients.find(db.session(), client_id)
    return Client(row) if row is not None else None


def _save_token(token: dict[str, Any], request: Any) -> None:
    clients.keep_token(
        db.session(),
        request.client.row,
        token["access_token"],
        TokenScope(token["scope"]),
        int(token["expires_in"]),
    )


def init_oauth(app: Flask) -> None:
    app.config.setdefault("OAUTH2_SCOPES_SUPPORTED", list(clients.SCOPES))
    server.init_app(app, query_client=_query_client, save_token=_save_token)
    server.register_token_generator(
        "default",
        BearerTokenGenerator(
            access_token_generator=lambda *_args, **_kwargs: clients.new_token(),
            expires_generator=lambda _client, _grant: clients.TOKEN_SECONDS,
        ),
    )
    server.register_grant(CredentialsGrant)
    app.register_blueprint(bp)


@bp.post("/api/v1/oauth/token")
def token() -> ResponseReturnValue:
    """Client credentials in, an access token out (or OAuth's error)."""
    answer: ResponseReturnValue = server.create_token_response()
    return answer
