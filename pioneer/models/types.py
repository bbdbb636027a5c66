"""Column types shared by the models."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

from ..database import db


def utcnow():
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Store UTC, hand back aware datetimes on every database (SQLite keeps no zone)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


class IntEnumType(TypeDecorator):
    """Store an IntEnum as its small integer, so it sorts and filters as a number."""

    impl = sa.SmallInteger
    cache_ok = True

    def __init__(self, enum_class):
        super().__init__()
        self.enum_class = enum_class

    def process_bind_param(self, value, dialect):
        return None if value is None else int(self.enum_class(value))

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum_class(value)


def mentors_table(name, owners):
    """The table linking rows of owners (projects, interns) to the users who mentor them.

    Its columns are <owner>_id and user_id, both the key; "what does this person mentor" is read from
    an index of (user_id, <owner>_id) alone, without visiting the table's rows (counting a mentor's
    public projects on /mentors visited one scattered row per link, docs/architecture.md "Query plans").
    """
    owner_id = f"{owners.removesuffix('s')}_id"
    return sa.Table(
        name,
        db.metadata,
        sa.Column(owner_id, sa.ForeignKey(f"{owners}.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Index(f"ix_{name}_user_id", "user_id", owner_id),
    )


def str_enum(enum_class):
    """A VARCHAR column type holding an enum's values (portable, easy to migrate)."""
    return sa.Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=24,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
