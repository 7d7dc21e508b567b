"""full-text case search: the case_search index (PostgreSQL tsvector + GIN; SQLite FTS5)

Revision ID: b5d2e3f4a6c7
Revises: a4c1d2e3f5b6
Create Date: 2026-11-26 16:00:00

The index is not an ORM model (on SQLite it is an FTS5 virtual table with shadow tables
case_search_*): migrations/env.py keeps it out of `alembic check`. Its rows are made by
dispute_portal.search.operations, which also fills it here for the cases already on file.
"""

from collections.abc import Sequence

from alembic import op


revision: str = 'b5d2e3f4a6c7'
down_revision: str | None = 'a4c1d2e3f5b6'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            'CREATE TABLE case_search ('
            'case_id INTEGER NOT NULL, '
            'document TSVECTOR NOT NULL, '
            'CONSTRAINT pk_case_search PRIMARY KEY (case_id), '
            'CONSTRAINT fk_case_search_case_id_cases FOREIGN KEY (case_id) '
            'REFERENCES cases (id) ON DELETE CASCADE)'
        )
        op.execute('CREATE INDEX ix_case_search_document ON case_search USING gin (document)')
    else:
        # rowid = the case id; the terms come tokenised already ("ascii" keeps non-ASCII
        # terms whole); no positions or sizes: searches are AND of single terms, by id.
        op.execute(
            'CREATE VIRTUAL TABLE case_search USING fts5('
            "document, tokenize='ascii', detail='none', columnsize=0)"
        )

    from dispute_portal.search.operations import rebuild

    rebuild(op.get_bind())


def downgrade() -> None:
    op.execute('DROP TABLE case_search')
