"""PostgreSQL search: a postings table, so a word's matches are read from an index alone

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 12:30:00

Creates `search_postings` (one row per word of a public project, with the word's share of ts_rank's
score, in word order) and the trigger that keeps it, then writes every public project's postings
(pioneer/search/pg_schema.py; docs/search.md, "Postings"). Writers of projects wait while the postings
are written: about 20 s at 100,000 projects. On SQLite nothing changes.
"""
from alembic import op
from sqlalchemy import text


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    from pioneer.search import pg_schema

    for statement in pg_schema.STATEMENTS:
        bind.execute(text(statement))
    pg_schema.rewrite_postings(bind)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    bind.execute(text("DROP TRIGGER IF EXISTS pioneer_projects_postings ON projects"))
    bind.execute(text("DROP TRIGGER IF EXISTS pioneer_projects_postings_update ON projects"))
    bind.execute(text("DROP FUNCTION IF EXISTS pioneer_projects_postings()"))
    bind.execute(text("DROP TABLE IF EXISTS search_postings"))
