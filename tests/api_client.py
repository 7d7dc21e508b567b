"""A program calling the API with a personal access token (tests of issue 18)."""

from __future__ import annotations

import datetime as dt
import secrets
from urllib.parse import urlsplit

import requests

from dispute_portal.api import tokens
from dispute_portal.api.models import ApiToken, TokenScope
from dispute_portal.auth.models import Role
from dispute_portal.db import utcnow
from dispute_portal.workflow.states import CaseState


def make_token(session, user, scope: TokenScope = TokenScope.READ_WRITE, days: int = 30) -> str:
    """A usable token of this user's, made as the account page makes one (without its
    security event: the tests of the page check that)."""
    plain = tokens.PREFIX + secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            user_id=user.id,
            name="Test program",
            scope=scope,
            prefix=plain[: tokens.SHOWN],
            digest=tokens.digest(plain),
            created_at=utcnow(),
            expires_at=utcnow() + dt.timedelta(days=days),
        )
    )
    session.flush()
    return plain


def case_with_parties(factory, session, state: CaseState):
    """A case in `state` with its claimant, the respondent's representative and its clerk,
    committed (its rulings become entries of the transparency log as they commit)."""
    clerk = factory.user(Role.CLERK)
    case = factory.case(state, clerk=clerk)
    respondent = factory.join(case, clerk)
    session.commit()
    return case, case.claimant_user, respondent, clerk


class ApiClient:
    def __init__(self, app, token: str | None) -> None:
        self.client = app.test_client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, headers: dict | None = None, **kw):
        return self._done(self.client.get(path, headers=self.headers | (headers or {}), **kw))

    def post(self, path: str, data: dict | None = None, headers: dict | None = None, **kw):
        return self._done(
            self.client.post(path, data=data, headers=self.headers | (headers or {}), **kw)
        )

    def delete(self, path: str, headers: dict | None = None, **kw):
        return self._done(self.client.delete(path, headers=self.headers | (headers or {}), **kw))

    @staticmethod
    def _done(response):
        response.get_data()  # read it all, then close: file downloads hold an open file
        response.close()
        return response


class WsgiAdapter(requests.adapters.BaseAdapter):
    """A requests transport that hands each request to the app in this process (its test
    client), so that a program written with requests runs against the tests' portal."""

    def __init__(self, app) -> None:
        super().__init__()
        self.client = app.test_client()

    def send(self, request, **_kwargs):
        url = urlsplit(request.url)
        answer = self.client.open(
            url.path + (f"?{url.query}" if url.query else ""),
            method=request.method,
            headers=dict(request.headers),
            data=request.body,
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = requests.structures.CaseInsensitiveDict(answer.headers)
        response._content = answer.get_data()
        answer.close()
        response.url, response.request, response.encoding = request.url, request, "utf-8"
        return response

    def close(self) -> None:
        pass
