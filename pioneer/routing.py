"""URL converters: the ids in addresses are read strictly, so a typed or hostile address answers 404."""

from werkzeug.routing import IntegerConverter

from .text import MAX_ID


class IdConverter(IntegerConverter):
    """<int:...> for row ids: ASCII digits only, from 0 to the largest id (text.MAX_ID); else not found.

    Werkzeug's own reads any Unicode digit ("٣" as 3) and any size, and a number beyond the ids' column
    type is a database error (PostgreSQL: "integer out of range"; SQLite: OverflowError): a server error
    for a mistyped address.
    """

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=False)


def init_app(app):
    # Replacing "int" itself covers every route, those written later included; it must happen before
    # the blueprints add their rules, because a rule picks its converter when it is added.
    app.url_map.converters["int"] = IdConverter
