"""The PostgreSQL search backend's part of the schema: a weighted tsvector kept by the database itself.

Installed on every PostgreSQL database (migration 0008, and `db.create_all()` in tests), whichever
backend the site is configured to use, so switching `PIONEER_SEARCH_BACKEND` needs no migration.
Nothing here exists on SQLite. docs/search.md, "The PostgreSQL backend", explains the design:

- `projects.search_tags`: skills, area name, time label and each mentor's name and username, written
  by triggers on `projects` and on every table those words come from, in the same transaction as the
  change;
- `projects.search_vector`: a generated column, title weight A, summary and tags B, description and
  outcomes C, so it cannot drift from the row; a GIN index answers `@@`;
- `search_words`: the words "Did you mean" and the fuzzy fallback may offer (title, summary, skills,
  area of public projects), with a trigram index (`pg_trgm`) and edit distances (`fuzzystrmatch`).

Every statement is idempotent: running `install` again (a later migration, `pioneer search rebuild`)
replaces functions and triggers with these definitions.
"""

import contextlib
from collections.abc import Iterator

from sqlalchemy import Connection, event, text
from sqlalchemy.orm import Session

from ..database import db
from ..models import PUBLIC_STATUSES, TimeRating

PUBLIC = ", ".join(f"'{status.value}'" for status in PUBLIC_STATUSES)
# A transaction-local setting: while it is on, projects inserted and links written are not given their
# tags one statement at a time; bulk_writes() touches each project once at its end (docs/search.md).
DEFERRED = "pioneer.search_deferred"
TIME_LABELS = " ".join(f"WHEN {int(rating)} THEN '{rating.label}'" for rating in TimeRating)
# Objects of this schema that the ORM's models leave out (see include_object).
COLUMNS = {"search_tags", "search_vector", "search_skill_ids", "search_mentor_ids"}
INDEXES = {"ix_projects_search", "ix_search_words_trgm"}
TABLES = {"search_words"}

STATEMENTS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS fuzzystrmatch",
    "ALTER TABLE projects ADD COLUMN IF NOT EXISTS search_tags text NOT NULL DEFAULT ''",
    # The project's skill and mentor ids, so facet counts group the matched rows without a join.
    "ALTER TABLE projects ADD COLUMN IF NOT EXISTS search_skill_ids integer[] NOT NULL DEFAULT '{}'",
    "ALTER TABLE projects ADD COLUMN IF NOT EXISTS search_mentor_ids integer[] NOT NULL DEFAULT '{}'",
    """ALTER TABLE projects ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(summary, '') || ' ' || search_tags), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(description, '') || ' ' || coalesce(outcomes, '')), 'C')
    ) STORED""",
    # Ranking reads every matched row's vector: kept in the row (compressed) rather than in a TOAST
    # table, it is read with the row instead of with three more page reads (docs/search.md).
    "ALTER TABLE projects ALTER COLUMN search_vector SET STORAGE MAIN",
    "ALTER TABLE projects ALTER COLUMN search_vector SET COMPRESSION lz4",
    "CREATE INDEX IF NOT EXISTS ix_projects_search ON projects USING gin (search_vector)",
    "CREATE TABLE IF NOT EXISTS search_words (word text PRIMARY KEY, documents integer NOT NULL DEFAULT 1)",
    "CREATE INDEX IF NOT EXISTS ix_search_words_trgm ON search_words USING gin (word gin_trgm_ops)",
    # The tags of one project, as the Whoosh document's `tags` field holds them.
    f"""CREATE OR REPLACE FUNCTION pioneer_search_tags(integer, integer, smallint) RETURNS text
    LANGUAGE sql STABLE AS $$
        SELECT concat_ws(' ',
            (SELECT string_agg(s.name, ' ' ORDER BY ps.position, s.name)
               FROM project_skills ps JOIN skills s ON s.id = ps.skill_id WHERE ps.project_id = $1),
            (SELECT a.name FROM areas a WHERE a.id = $2),
            CASE $3 {TIME_LABELS} END,
            (SELECT string_agg(u.name || ' ' || u.username, ' ' ORDER BY u.name)
               FROM project_mentors pm JOIN users u ON u.id = pm.user_id WHERE pm.project_id = $1))
    $$""",
    # The words a public project offers to "Did you mean": title, summary, skills and area, as typed.
    """CREATE OR REPLACE FUNCTION pioneer_spelling_words(integer, integer, text, text) RETURNS SETOF text
    LANGUAGE sql STABLE AS $$
        SELECT DISTINCT word FROM unnest(tsvector_to_array(to_tsvector('simple'::regconfig, concat_ws(' ', $3, $4,
            (SELECT string_agg(s.name, ' ') FROM project_skills ps JOIN skills s ON s.id = ps.skill_id
              WHERE ps.project_id = $1),
            (SELECT a.name FROM areas a WHERE a.id = $2))))) AS word
        WHERE length(word) >= 2
    $$""",
    f"""CREATE OR REPLACE FUNCTION pioneer_projects_search() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' AND current_setting('{DEFERRED}', true) = 'on' THEN
            RETURN NEW;  -- written in bulk: bulk_writes() touches it once its links are in
        END IF;
        NEW.search_tags := pioneer_search_tags(NEW.id, NEW.area_id, NEW.time_rating);
        NEW.search_skill_ids := ARRAY(SELECT skill_id FROM project_skills WHERE project_id = NEW.id ORDER BY 1);
        NEW.search_mentor_ids := ARRAY(SELECT user_id FROM project_mentors WHERE project_id = NEW.id ORDER BY 1);
        IF NEW.status IN ({PUBLIC}) THEN
            INSERT INTO search_words (word)
                SELECT pioneer_spelling_words(NEW.id, NEW.area_id, NEW.title, NEW.summary)
                ON CONFLICT DO NOTHING;
        END IF;
        RETURN NEW;
    END $$""",
    "DROP TRIGGER IF EXISTS pioneer_projects_search ON projects",
    """CREATE TRIGGER pioneer_projects_search
        BEFORE INSERT OR UPDATE OF title, summary, status, area_id, time_rating, search_tags ON projects
        FOR EACH ROW EXECUTE FUNCTION pioneer_projects_search()""",
    # Rows linking a project to its skills or mentors: touch the projects once per statement.
    f"""CREATE OR REPLACE FUNCTION pioneer_touch_linked_projects() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('{DEFERRED}', true) = 'on' THEN
            RETURN NULL;  -- written in bulk: bulk_writes() touches the projects once, at its end
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            UPDATE projects SET search_tags = search_tags WHERE id IN (SELECT project_id FROM new_rows);
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            UPDATE projects SET search_tags = search_tags WHERE id IN (SELECT project_id FROM old_rows);
        END IF;
        RETURN NULL;
    END $$""",
    # A renamed person, area or skill: touch the projects that show the name.
    """CREATE OR REPLACE FUNCTION pioneer_touch_named_projects() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_TABLE_NAME = 'users' THEN
            UPDATE projects SET search_tags = search_tags
             WHERE id IN (SELECT project_id FROM project_mentors WHERE user_id = NEW.id);
        ELSIF TG_TABLE_NAME = 'areas' THEN
            UPDATE projects SET search_tags = search_tags WHERE area_id = NEW.id;
        ELSE
            UPDATE projects SET search_tags = search_tags
             WHERE id IN (SELECT project_id FROM project_skills WHERE skill_id = NEW.id);
        END IF;
        RETURN NULL;
    END $$""",
]
for _table in ("project_skills", "project_mentors"):
    for _event, _tables in (("INSERT", "NEW TABLE AS new_rows"),
                            ("UPDATE", "NEW TABLE AS new_rows OLD TABLE AS old_rows"),
                            ("DELETE", "OLD TABLE AS old_rows")):
        _name = f"pioneer_search_{_table}_{_event.lower()}"
        STATEMENTS += [
            f"DROP TRIGGER IF EXISTS {_name} ON {_table}",
            f"""CREATE TRIGGER {_name} AFTER {_event} ON {_table} REFERENCING {_tables}
                FOR EACH STATEMENT EXECUTE FUNCTION pioneer_touch_linked_projects()""",
        ]
for _table, _columns in (("users", ("name", "username")), ("areas", ("name",)), ("skills", ("name",))):
    _changed = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in _columns)
    STATEMENTS += [
        f"DROP TRIGGER IF EXISTS pioneer_search_{_table}_rename ON {_table}",
        f"""CREATE TRIGGER pioneer_search_{_table}_rename AFTER UPDATE OF {', '.join(_columns)} ON {_table}
            FOR EACH ROW WHEN ({_changed}) EXECUTE FUNCTION pioneer_touch_named_projects()""",
    ]
TRIGGERS = {"pioneer_projects_search"} | {
    f"pioneer_search_{table}_{event_name}" for table in ("project_skills", "project_mentors")
    for event_name in ("insert", "update", "delete")
} | {f"pioneer_search_{table}_rename" for table in ("users", "areas", "skills")}


@contextlib.contextmanager
def bulk_writes(session: Session) -> Iterator[list[int]]:
    """Write many projects and their links, then give each its tags once (PostgreSQL; elsewhere a no-op).

    Without it a project inserted with its skills and mentors is written three times: by its own
    insert, then by the skill links' statement, then by the mentor links', each time recomputing its
    vector. Put the ids of the projects written in the list this yields.
    """
    touched: list[int] = []
    if session.get_bind().dialect.name != "postgresql":
        yield touched
        return
    session.execute(text("SELECT set_config(:name, 'on', true)"), {"name": DEFERRED})
    try:
        yield touched
    finally:
        session.execute(text("SELECT set_config(:name, 'off', true)"), {"name": DEFERRED})
    if touched:
        session.execute(text("UPDATE projects SET search_tags = search_tags WHERE id = ANY(:ids)"),
                        {"ids": touched})


def install(connection: Connection) -> None:
    """Create or replace the search schema on a PostgreSQL connection; fill the tags of existing rows."""
    if connection.dialect.name != "postgresql":
        return
    for statement in STATEMENTS:
        connection.execute(text(statement))
    connection.execute(text("UPDATE projects SET search_tags = search_tags"))


def installed(connection: Connection) -> list[str]:
    """What of the schema is missing on this connection's database (empty when all is there)."""
    missing = []
    columns = set(connection.execute(text(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'projects'")).scalars())
    missing += [f"column projects.{name}" for name in sorted(COLUMNS - columns)]
    indexes = set(connection.execute(text("SELECT indexname FROM pg_indexes")).scalars())
    missing += [f"index {name}" for name in sorted(INDEXES - indexes)]
    triggers = set(connection.execute(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).scalars())
    missing += [f"trigger {name}" for name in sorted(TRIGGERS - triggers)]
    return missing


def include_object(obj, name, type_, reflected, compare_to):
    """Alembic's filter: the search schema is created by `install`, not by the models; leave it out."""
    if type_ == "column" and name in COLUMNS:
        return False
    if type_ == "index" and name in INDEXES:
        return False
    return not (type_ == "table" and name in TABLES)


@event.listens_for(db.metadata, "after_create")
def _install_after_create_all(_metadata, connection, **_kw):
    """`db.create_all()` (tests) gets the same schema as the migrations give."""
    install(connection)
