"""What happens inside a case: submissions, sessions and hearings, a mediator's private notes."""
