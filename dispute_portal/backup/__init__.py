"""Backups of the whole installation (database, documents, rulings) and their restore.

`codec` the format and the dump of a row, `write` makes a backup, `read` checks one,
`restore` brings one back into an empty installation, `verify` checks the stored files.
"""
