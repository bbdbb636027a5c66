"""PostgreSQL full-text search: weighted tsvector, GIN index, triggers and the vocabulary (PostgreSQL only)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 22:00:00

On SQLite nothing changes. On PostgreSQL the search schema of pioneer/search/pg_schema.py is installed
whichever search backend is configured, so switching PIONEER_SEARCH_BACKEND needs no migration
(docs/search.md, "The PostgreSQL backend"). Its statements are idempotent.
"""
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    from pioneer.search import pg_schema

    pg_schema.install(op.get_bind())


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    from pioneer.search import pg_schema

    for name in sorted(pg_schema.TRIGGERS):
        # The names pg_schema has now: later migrations' triggers on projects are in the set too.
        table = 'projects' if name.startswith('pioneer_projects_') else next(
            table for table in ('project_skills', 'project_mentors', 'users', 'areas', 'skills')
            if name.startswith(f'pioneer_search_{table}_'))
        op.execute(f'DROP TRIGGER IF EXISTS {name} ON {table}')
    for function in ('pioneer_projects_search()', 'pioneer_touch_linked_projects()',
                     'pioneer_touch_named_projects()', 'pioneer_spelling_words(integer, integer, text, text)',
                     'pioneer_search_tags(integer, integer, smallint)'):
        op.execute(f'DROP FUNCTION IF EXISTS {function}')
    op.execute('DROP TABLE IF EXISTS search_words')
    op.execute('DROP INDEX IF EXISTS ix_projects_search')
    op.execute('ALTER TABLE projects DROP COLUMN IF EXISTS search_vector')
    op.execute('ALTER TABLE projects DROP COLUMN IF EXISTS search_tags')
