"""Mediators and arbitrators on a case: appointments, declarations, conflicts, caseloads."""
