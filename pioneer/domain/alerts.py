"""Saved searches: what is kept, when an alert is due, and the signed token of the unsubscribe link.

No Flask here: the secret comes from the caller. docs/fit.md, "Saved searches and alerts", has the rules.
"""

from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode

from itsdangerous import BadData, URLSafeSerializer

from ..database import db
from ..models import AlertFrequency, SavedSearch, SearchKind, User, utcnow
from ..text import one_line
from .errors import DomainError

MAX_SAVED = 50
MAX_QUERY = 2000
MAX_NAME = 120
DIGEST_EVERY = timedelta(days=7)
# Keys a saved search keeps: the filters of /projects and the profile of /start. Never the page.
KEPT_KEYS = {
    SearchKind.PROJECTS: ("q", "stars", "time", "area", "skill", "status", "mentor", "sort"),
    SearchKind.START: ("know", "time", "hours", "learn", "first", "stars", "area", "skill", "status", "mentor"),
}
TOKEN_SALT = "pioneer-alert-unsubscribe"


class SavedSearchError(DomainError):
    """A search that cannot be saved, with the reason for the person."""


def clean_query(kind, text):
    """Keep the query string's filters in their order, without the page number or empty values."""
    pairs = [(key, one_line(value)) for key, value in parse_qsl(text or "", keep_blank_values=False)
             if key in KEPT_KEYS[kind] and one_line(value)]
    return urlencode(pairs)


def default_name(kind, query):
    """Name a search after what it asks: "ocaml:concepts, time 2" or "Every project"."""
    values = [value if key in ("q", "know", "learn", "skill", "area", "mentor", "status") else f"{key} {value}"
              for key, value in parse_qsl(query)]
    if not values:
        return "Every project" if kind is SearchKind.PROJECTS else "Projects that fit me"
    return ", ".join(values)[:MAX_NAME]


def save_search(user: User, kind: SearchKind, query: str, name: str, frequency: AlertFrequency) -> SavedSearch:
    """Keep a search for user; only projects approved from now on will be news to it."""
    query = clean_query(kind, query)
    if len(query) > MAX_QUERY:
        raise SavedSearchError(f"This search is too long to keep (more than {MAX_QUERY} characters).")
    count = db.session.execute(
        db.select(db.func.count(SavedSearch.id)).where(SavedSearch.user_id == user.id)).scalar_one()
    if count >= MAX_SAVED:
        raise SavedSearchError(f"You keep {MAX_SAVED} searches already: delete one on your account page first.")
    saved = SavedSearch(user=user, kind=kind, query=query, frequency=frequency, watermark=utcnow(),
                        name=(one_line(name or "") or default_name(kind, query))[:MAX_NAME])
    db.session.add(saved)
    return saved


def is_due(saved: SavedSearch, now: datetime) -> bool:
    """Tell whether a run at now mails this search: at once every run, a digest a week after the last one."""
    if saved.frequency is AlertFrequency.AT_ONCE:
        return True
    if saved.frequency is AlertFrequency.WEEKLY:
        return (saved.last_sent_at or saved.created_at) <= now - DIGEST_EVERY
    return False


def unsubscribe_token(saved_id: int, secret: str) -> str:
    """A token naming one saved search, signed with the site's secret: the link needs no sign-in."""
    return URLSafeSerializer(secret, salt=TOKEN_SALT).dumps(saved_id)


def search_from_token(token: str, secret: str) -> SavedSearch | None:
    """The saved search a token names, or None when it is forged, damaged or the search is gone."""
    try:
        saved_id = URLSafeSerializer(secret, salt=TOKEN_SALT).loads(token)
    except (BadData, UnicodeError):
        return None
    if not isinstance(saved_id, int) or isinstance(saved_id, bool):
        return None
    return db.session.get(SavedSearch, saved_id)
