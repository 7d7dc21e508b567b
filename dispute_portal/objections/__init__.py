"""Preliminary objections: manifest lack of legal merit, and objections to jurisdiction with
or without a request for bifurcation (ICSID Arbitration Rules 2022, rules 41 to 45)."""
