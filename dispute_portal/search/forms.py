"""The search box."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SearchField
from wtforms.validators import Length, Optional

from ..core.forms import BaseForm
from .operations import MAX_QUERY_CHARS


class SearchForm(BaseForm):
    """The search box, read from the query string (a GET form: nothing to forge)."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Search cases"),
        description=_l("A case number, a party's name or words from the title or summary."),
        validators=[Optional(), Length(max=MAX_QUERY_CHARS)],
    )
