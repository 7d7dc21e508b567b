"""The proceedings blueprint and what its pages lend every template (labels, the day filter).

Each view of the package is thin: load the case (404 if the user may not see it, 403 if they
may not act), build the form, and run it with `core.actions.run_form_action`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from ..models import MEETING_KIND_LABELS
from ..presenter import (
    actor_name,
    event_label,
    role_label,
    show_day,
    viewer_events,
)

bp = Blueprint("proceedings", __name__, url_prefix="/cases/<int:case_id>")


@bp.app_context_processor
def _proceedings_helpers() -> dict[str, Any]:
    return {
        "event_label": event_label,
        "actor_name": actor_name,
        "role_label": role_label,
        "viewer_events": viewer_events,
        "meeting_kind_labels": MEETING_KIND_LABELS,
    }


bp.add_app_template_filter(show_day, "day")
