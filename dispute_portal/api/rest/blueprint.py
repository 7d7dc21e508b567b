"""The API's blueprint class: flask-smorest's, with one request location more, `multipart`
(a form's fields and its files together, one request body in the OpenAPI document)."""

from __future__ import annotations

from typing import Any

import flask_smorest
from webargs.flaskparser import FlaskParser
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict


class Parser(FlaskParser):
    def load_multipart(self, req: Any, schema: Any) -> MultiDictProxy:
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)

    __location_map__ = {**FlaskParser.__location_map__, "multipart": "load_multipart"}


PARSER = Parser()


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = PARSER
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **flask_smorest.Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "multipart": "multipart/form-data",
    }


def parse(schema: Any, location: str) -> dict[str, Any]:
    """The request's input at `location`, loaded by `schema`; invalid, 422 with the fields.
    For a view that must load what it acts on before it reads the input (a case the caller
    may not see answers 404, whatever was sent); its doc names the schema itself."""
    loaded: dict[str, Any] = PARSER.parse(schema, location=location)
    return loaded
