"""Procedural deadlines: the rule set (data, versioned), the calendar, and each case's deadlines."""
