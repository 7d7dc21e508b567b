"""The proceedings on the web, one blueprint in modules along its seams: the acts of the
workflow table (`acts`), filing submissions (`submissions`), sessions and hearings
(`meetings`), extending a deadline (`deadlines`), the timetable of the written phase
(`timetable`), and a neutral's notes and the audit trail
(`record`). Importing the package registers every route on `bp`."""

from . import acts, deadlines, meetings, record, submissions, timetable
from .blueprint import bp

__all__ = ["acts", "bp", "deadlines", "meetings", "record", "submissions", "timetable"]
