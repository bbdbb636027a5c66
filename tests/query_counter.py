"""Count the SQL statements a block of code sends, to show pages do bounded work."""

import contextlib

from sqlalchemy import event

from pioneer.database import db


@contextlib.contextmanager
def counted_queries():
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
