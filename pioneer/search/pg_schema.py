"""The PostgreSQL search backend's part of the schema: a weighted tsvector kept by the database itself.

Installed on every PostgreSQL database (migration 0008, and `db.create_all()` in tests), whichever
backend the site is configured to use, so switching `PIONEER_SEARCH_BACKEND` needs no migration.
Nothing here exists on SQLite. docs/search.md, "The PostgreSQL backend", explains the design:

- `projects.search_tags`: skills, area name, time label and each mentor's name and username, written
  by triggers on `projects` and on every table those words come from, in the same transaction as the
  change;
- `projects.search_vector`: a generated column, title weight A, summary and tags B, description and
  outcomes C, so it cannot drift from the row; a GIN index answers `@@`;
- `search_postings`: the vector again, one row per word of a public project with the word's share of
  `ts_rank`, kept by a trigger after every change of the vector or the status. Read in word order from
  its primary key alone, a word's matches cost one page per few hundred projects instead of one page
  per project (docs/search.md, "Postings");
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
# The same setting during a rebuild's pass over every project: postings are left as they are, and
# rewritten from the new vectors in one statement at the end (rewrite_postings).
REWRITE = "rewrite"
TIME_LABELS = " ".join(f"WHEN {int(rating)} THEN '{rating.label}'" for rating in TimeRating)
# Objects of this schema that the ORM's models leave out (see include_object).
COLUMNS = {"search_tags", "search_vector", "search_skill_ids", "search_mentor_ids"}
INDEXES = {"ix_projects_search", "ix_search_words_trgm", "search_postings_pkey"}
TABLES = {"search_words", "search_postings"}
# ts_rank's weights, as PostgresBackend ranks with them (postgres.WEIGHTS): A is the title, D unused.
RANK_WEIGHTS = {"A": 1.0, "B": 0.5, "C": 0.2, "D": 0.0}
_WEIGHT = " ".join(f"WHEN '{label}' THEN {weight}::real" for label, weight in RANK_WEIGHTS.items())
# A public project's postings, from its vector: each word with its share of ts_rank's score before the
# constant division (tsrank.c, calc_rank_or, in the same single-precision steps): the sum of each
# occurrence's weight over its place squared, plus the largest weight less its own term.
POSTINGS_OF = f"""SELECT p.id AS project_id, u.lexeme,
        (SELECT (max(w) + sum(w / (o * o)::real) - (array_agg(w ORDER BY w DESC, o))[1]
                 / ((array_agg(o ORDER BY w DESC, o))[1] ^ 2)::real)::real
           FROM unnest(u.weights) WITH ORDINALITY AS x(label, o),
                LATERAL (SELECT CASE label {_WEIGHT} ELSE 0.0::real END AS w) AS weighted) AS score
      FROM projects p, unnest(p.search_vector) AS u
     WHERE p.status IN ({PUBLIC})"""
_POSTINGS_OF_NEW = POSTINGS_OF.replace(
    "FROM projects p,", "FROM (SELECT NEW.id, NEW.status, NEW.search_vector) AS p(id, status, search_vector),")
_POSTINGS_TABLE = """(
        lexeme text COLLATE "C" NOT NULL,
        project_id integer NOT NULL,
        score real NOT NULL,
        CONSTRAINT {name}_pkey PRIMARY KEY (lexeme, project_id) INCLUDE (score))"""

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
    # Ordered by word (byte order, so a prefix is a range), the score in the key's leaf: a word's
    # postings come from the index alone, without visiting the table (docs/search.md, "Postings").
    "CREATE TABLE IF NOT EXISTS search_postings " + _POSTINGS_TABLE.format(name="search_postings"),
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
    # After the row is written, when its generated vector exists: its postings replace the old ones.
    f"""CREATE OR REPLACE FUNCTION pioneer_projects_postings() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('{DEFERRED}', true) = '{REWRITE}' THEN
            RETURN NULL;  -- a rebuild: rewrite_postings() replaces every posting at its end
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            -- A project's postings are its old vector's words: found by the key, no index of their own.
            DELETE FROM search_postings
             WHERE lexeme = ANY(tsvector_to_array(OLD.search_vector)) AND project_id = OLD.id;
        END IF;
        IF current_setting('{DEFERRED}', true) = 'on' THEN
            RETURN NULL;  -- written in bulk: retag() posts the projects once, at the end
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status IN ({PUBLIC}) THEN
            INSERT INTO search_postings (project_id, lexeme, score) {_POSTINGS_OF_NEW};
        END IF;
        RETURN NULL;
    END $$""",
    "DROP TRIGGER IF EXISTS pioneer_projects_postings ON projects",
    """CREATE TRIGGER pioneer_projects_postings AFTER INSERT OR DELETE ON projects
        FOR EACH ROW EXECUTE FUNCTION pioneer_projects_postings()""",
    "DROP TRIGGER IF EXISTS pioneer_projects_postings_update ON projects",
    """CREATE TRIGGER pioneer_projects_postings_update AFTER UPDATE ON projects FOR EACH ROW
        WHEN (OLD.search_vector IS DISTINCT FROM NEW.search_vector OR OLD.status IS DISTINCT FROM NEW.status)
        EXECUTE FUNCTION pioneer_projects_postings()""",
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
TRIGGERS = {"pioneer_projects_search", "pioneer_projects_postings", "pioneer_projects_postings_update"} | {
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
        if touched:
            retag(session, touched)
    finally:
        session.execute(text("SELECT set_config(:name, 'off', true)"), {"name": DEFERRED})


def retag(session: Session | Connection, ids: list[int]) -> None:
    """Recompute the tags, vectors and postings of the projects ids, a statement each (PostgreSQL).

    Run with the deferred setting on (bulk_writes, a rebuild): the row trigger then leaves the
    postings alone and they are written here in one statement, once per project.
    """
    session.execute(text("DELETE FROM search_postings s USING projects p WHERE p.id = ANY(:ids)"
                         " AND s.lexeme = ANY(tsvector_to_array(p.search_vector)) AND s.project_id = p.id"),
                    {"ids": ids})
    session.execute(text("UPDATE projects SET search_tags = search_tags WHERE id = ANY(:ids)"), {"ids": ids})
    session.execute(text(f"INSERT INTO search_postings (project_id, lexeme, score) {POSTINGS_OF}"
                         " AND p.id = ANY(:ids)"), {"ids": ids})


def install(connection: Connection) -> None:
    """Create or replace the search schema on a PostgreSQL connection; fill the tags of existing rows."""
    if connection.dialect.name != "postgresql":
        return
    for statement in STATEMENTS:
        connection.execute(text(statement))
    connection.execute(text("SELECT set_config(:name, 'on', true)"), {"name": DEFERRED})
    connection.execute(text("UPDATE projects SET search_tags = search_tags"))
    rewrite_postings(connection)
    connection.execute(text("SELECT set_config(:name, 'off', true)"), {"name": DEFERRED})


def rewrite_postings(connection: Connection) -> int:
    """Write every public project's postings into a new table and put it in the old one's place.

    In the caller's transaction: searches read the old table until it commits, and writers of projects
    wait for it (their triggers would write to the old table). Returns how many postings there are.
    Run VACUUM on the table after: its rows are read from the index alone only once it is vacuumed.
    """
    connection.execute(text("LOCK TABLE projects IN SHARE MODE"))
    connection.execute(text("DROP TABLE IF EXISTS search_postings_next"))
    connection.execute(text("CREATE TABLE search_postings_next " + _POSTINGS_TABLE.format(name="search_postings_next")))
    written = connection.execute(text(
        f"INSERT INTO search_postings_next (project_id, lexeme, score) {POSTINGS_OF}")).rowcount
    connection.execute(text("DROP TABLE IF EXISTS search_postings"))
    connection.execute(text("ALTER TABLE search_postings_next RENAME TO search_postings"))
    connection.execute(text("ALTER INDEX search_postings_next_pkey RENAME TO search_postings_pkey"))
    return written


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
