"""Proposals for disqualification (challenges), resignations and vacancies."""
