"""Every blueprint of the portal, in the order the app registers them (app.py): the pages
of each feature, one per package (deadlines has two: the rule sets and the calendar)."""

from __future__ import annotations

from flask import Blueprint

from .accounts.views import account_bp, fee_notes_bp
from .accounts.views import bp as fees_bp
from .amicus.views import bp as amicus_bp
from .api.client_views import bp as api_clients_bp
from .api.views import bp as api_tokens_bp
from .auth.staff_views import bp as staff_bp
from .auth.views import bp as auth_bp
from .awards.views import bp as awards_bp
from .cases.views import bp as cases_bp
from .challenges.views import bp as challenges_bp
from .deadlines.views import bp as deadlines_bp
from .deadlines.views import calendar_bp
from .funding.views import bp as funding_bp
from .measures.views import bp as measures_bp
from .mfa.views import bp as mfa_bp
from .neutrals.views import bp as neutrals_bp
from .nominations.views import bp as nominations_bp
from .notices.views import bp as notices_bp
from .objections.views import bp as objections_bp
from .parties.views import bp as parties_bp
from .proceedings.views import bp as proceedings_bp
from .public.views import bp as public_bp
from .publication.publication_views import bp as publication_bp
from .publication.seal_views import bp as seals_bp
from .publication.views import bp as register_bp
from .registry.views import bp as registry_bp
from .rulings.views import bp as rulings_bp
from .search.views import bp as search_bp
from .webhooks.views import bp as webhooks_bp

BLUEPRINTS: tuple[Blueprint, ...] = (
    public_bp,
    auth_bp,
    staff_bp,
    cases_bp,
    registry_bp,
    rulings_bp,
    neutrals_bp,
    nominations_bp,
    parties_bp,
    proceedings_bp,
    objections_bp,
    notices_bp,
    deadlines_bp,
    calendar_bp,
    mfa_bp,
    api_tokens_bp,
    api_clients_bp,
    webhooks_bp,
    search_bp,
    awards_bp,
    measures_bp,
    funding_bp,
    amicus_bp,
    challenges_bp,
    fees_bp,
    account_bp,
    fee_notes_bp,
    register_bp,
    seals_bp,
    publication_bp,
)
