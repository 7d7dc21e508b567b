"""The workflow table in its parts, in the order a case lives them: transitions.py joins them
into the one table (TRANSITIONS)."""
