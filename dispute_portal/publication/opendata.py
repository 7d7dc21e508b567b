"""The register as open data: one record per entry, with stable field names (documented in
docs/register.md). The values are codes (a sector, a stage), never labels in a language, so
that a program reads the same file whatever language its reader speaks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..clock import ALMATY
from .register import Published

# The CSV's columns and the JSON's keys, in this order. Adding one is a new version of the
# schema; renaming or removing one never happens.
FIELDS = (
    "number",
    "url",
    "registered_on",
    "year",
    "claimant",
    "claimant_country",
    "respondent",
    "sector",
    "basis_of_consent",
    "stage",
    "outcome",
    "concluded_on",
    "neutrals",
    "publications",
)


def record(
    row: Any, url: str, published: list[Published], decision_url: Callable[[str], str]
) -> dict[str, Any]:
    """An entry (a RegisterEntry or a row of its columns) as the open data record, with its
    published decisions (`decision_url` makes a published version's address from its code)."""
    return {
        "number": row.number,
        "url": url,
        "registered_on": row.registered_at.astimezone(ALMATY).date().isoformat(),
        "year": row.year,
        "claimant": row.claimant,
        "claimant_country": row.claimant_country,
        "respondent": row.respondent,
        "sector": row.sector.value if row.sector else None,
        "basis_of_consent": row.basis.value if row.basis else None,
        "stage": row.stage.value,
        "outcome": row.outcome.value if row.outcome else None,
        "concluded_on": (
            row.concluded_at.astimezone(ALMATY).date().isoformat() if row.concluded_at else None
        ),
        "neutrals": [
            {"role": n["capacity"], "name": n["name"], "nationality": n["nationality"]}
            for n in row.neutrals
        ],
        "publications": [
            {
                "decision": p.kind,
                "published_on": p.published_at.astimezone(ALMATY).date().isoformat(),
                "url": decision_url(p.code) if p.code else None,
                "excerpt": p.excerpt,
            }
            for p in published
        ],
    }


def csv_values(entry: dict[str, Any]) -> list[object]:
    """A record as a CSV row: the neutrals as "role: name (nationality)" and the publications
    as "decision published_on: url" (or "excerpt": its text is in the JSON and on the
    entry's page), each joined by "; "."""
    cells = {
        "neutrals": "; ".join(
            f"{n['role']}: {n['name']}" + (f" ({n['nationality']})" if n["nationality"] else "")
            for n in entry["neutrals"]
        ),
        "publications": "; ".join(
            f"{p['decision']} {p['published_on']}: {p['url'] or 'excerpt'}"
            for p in entry["publications"]
        ),
    }
    return [cells.get(field, entry.get(field)) for field in FIELDS]
