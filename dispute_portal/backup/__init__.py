"""Backups of the whole installation (database, documents, rulings) and their restore."""
