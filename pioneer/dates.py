"""How dates and times read everywhere (pages and mail): one format each, and UTC times in the viewer's zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .models import User

# Names that mean UTC itself: a viewer in one of these sees the plain UTC form.
UTC_NAMES = {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Zulu", "Etc/Zulu", "GMT", "Etc/GMT"}


def viewer_zone(user: User | None) -> ZoneInfo | None:
    """Find the time zone of a user's profile; None for anonymous viewers, UTC, or an unknown name."""
    name = getattr(user, "timezone", None)
    if not name or name in UTC_NAMES:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        # A profile saved before the zone list changed must not break every page with a time on it.
        return None


def day_text(moment: date) -> str:
    """Write a date as "Tue 8 Dec 2026"."""
    return f"{moment:%a} {moment.day} {moment:%b %Y}"


def long_date(moment: date | None) -> str:
    """Write a date as "2 March 2027": the site's way of writing a day."""
    return "" if moment is None else f"{moment.day} {moment:%B %Y}"


def short_date(moment: date | None) -> str:
    """Write a date as "2 Mar 2027", for tables."""
    return "" if moment is None else f"{moment.day} {moment:%b %Y}"


def utc_time(moment: datetime | None) -> str:
    """Write a moment as "2 March 2027, 16:05 UTC"."""
    if moment is None:
        return ""
    utc = moment.astimezone(UTC)
    return f"{long_date(utc)}, {utc:%H:%M} UTC"


def local_time(moment: datetime | None, user: User | None = None) -> str:
    """Write an aware time in user's zone with the UTC time beside it, or in UTC alone.

    "Tue 8 Dec 2026, 17:00 Europe/Paris (16:00 UTC)", or "Tue 8 Dec 2026, 16:00 UTC".
    """
    if moment is None:
        return ""
    utc = moment.astimezone(UTC)
    utc_text = f"{utc:%H:%M} UTC"
    zone = viewer_zone(user)
    if zone is None:
        return f"{day_text(utc)}, {utc_text}"
    local = utc.astimezone(zone)
    if local.date() != utc.date():
        # Late or early calls fall on another day in UTC; say which, so no one is a day out.
        utc_text += f" on {day_text(utc)}"
    return f"{day_text(local)}, {local:%H:%M} {zone.key} ({utc_text})"


def time_in(moment: datetime | None, zone_name: str | None) -> str:
    """Write an aware time in a named zone: "Tue 8 Dec 2026, 18:00 Europe/Paris" (UTC for an unknown name)."""
    if moment is None:
        return ""
    try:
        zone = ZoneInfo(zone_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    local = moment.astimezone(zone)
    return f"{day_text(local)}, {local:%H:%M} {zone.key}"
