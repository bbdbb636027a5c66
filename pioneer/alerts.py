"""`pioneer alerts send`: mail each saved search the projects approved since its watermark (docs/fit.md).

A tool beside the site, like the importer: it runs a saved /projects search through the catalogue's
filters and the search service, and a /start profile through the fit finder's rules.
"""

from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl

from flask import current_app
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import MultiDict

from . import mail, search
from .catalogue import fitting
from .catalogue.filters import Filters
from .catalogue.searching import merge_prefixes
from .database import db
from .domain import fit
from .domain.alerts import is_due, unsubscribe_token
from .domain.rows import load_rows
from .links import site_url
from .models import AlertFrequency, Project, SavedSearch, SearchKind, User, utcnow
from .search.query import split_prefixes
from .search.service import search as run_search

# Projects listed in one mail; the rest are a link away.
LISTED = 20
# The most results a saved full-text search is checked against in one run.
SEARCH_LIMIT = 5000


@dataclass
class Summary:
    """What a run did, for its last line."""

    checked: int = 0
    at_once: int = 0
    digests: int = 0
    nothing_new: int = 0
    not_due: int = 0
    projects: int = 0
    failed: list = field(default_factory=list)

    def line(self):
        sent = self.at_once + self.digests
        return (f"Alerts: {sent} mail{'s' if sent != 1 else ''} sent ({self.at_once} at once, {self.digests} weekly "
                f"digest{'s' if self.digests != 1 else ''}) about {self.projects} new "
                f"project{'s' if self.projects != 1 else ''}; {self.nothing_new} searches had nothing new, "
                f"{self.not_due} digests are not due yet, {len(self.failed)} failed; "
                f"{self.checked} saved searches checked.")


def subscribed():
    """Saved searches that ask for email, of people who can receive it: active, with a confirmed address
    (docs/mail.md: only verification and reset links go to an unconfirmed one)."""
    return db.session.execute(
        db.select(SavedSearch).join(User, User.id == SavedSearch.user_id)
        .where(SavedSearch.frequency != AlertFrequency.NEVER, User.is_active, User.email.is_not(None),
               User.email_verified_at.is_not(None))
        .options(joinedload(SavedSearch.user)).order_by(SavedSearch.id)
    ).scalars().all()


def new_matches(saved, since, until):
    """The projects approved in (since, until] that the saved search finds, best first, with reasons or None."""
    args = MultiDict(parse_qsl(saved.query))
    if saved.kind is SearchKind.START:
        profile = fit.Profile.from_args(args)
        filters = Filters.from_args(MultiDict([(k, v) for k, v in args.items(multi=True)
                                               if k in ("stars", "area", "skill", "status", "mentor")]))
        ranked = [result for result in fit.rank(profile, fitting.candidates(profile, since, until))
                  if fitting.passes(result.candidate, filters)]
        return [result.candidate.id for result in ranked], {r.candidate.id: r.reasons for r in ranked}
    filters = Filters.from_args(args)
    parsed = split_prefixes(filters.q)
    merged = merge_prefixes(filters, parsed) if filters.q else filters
    window = [Project.approved_at > since, Project.approved_at <= until]
    text = parsed.text if filters.q else ""
    found = None
    if text:
        try:
            found = set(run_search(search.backend(), replace(merged, q=filters.q, page=1), text, 1,
                                   SEARCH_LIMIT).ids)
        except Exception:  # The index is down: the listing's own answer, the title and summary match.
            current_app.logger.exception("Alert search failed for saved search %s", saved.id)
    conditions = replace(merged, q=text if found is None else "").conditions()
    ids = db.session.execute(
        db.select(Project.id).where(*conditions, *window).order_by(Project.approved_at.desc(), Project.id.desc())
    ).scalars().all()
    return [project_id for project_id in ids if found is None or project_id in found], {}


def alert_message(saved, ids, reasons, digest):
    """The mail for one saved search: the new projects, why each fits, and how to stop."""
    unsubscribe = site_url("accounts.unsubscribe", token=unsubscribe_token(saved.id, current_app.secret_key))
    message = mail.message(
        "alert", mail.address(saved.user.name, saved.user.email), saved=saved, digest=digest,
        projects=load_rows(ids[:LISTED]), reasons=reasons, more=max(0, len(ids) - LISTED), count=len(ids),
        search_url=current_app.config["SITE_URL"].rstrip("/") + saved.path, unsubscribe_url=unsubscribe,
    )
    # RFC 2369 and RFC 8058: mail clients offer their own one-click "unsubscribe" button.
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message


def send_alerts(progress=lambda items: items, now=None):
    """Mail every due saved search its new projects; move each watermark only past what was delivered."""
    now = now or utcnow()
    summary, outgoing = Summary(), []
    searches = subscribed()
    for saved in progress(searches):
        summary.checked += 1
        if not is_due(saved, now):
            summary.not_due += 1
            continue
        ids, reasons = new_matches(saved, saved.watermark, now)
        if not ids:
            summary.nothing_new += 1
            saved.watermark = now
            continue
        digest = saved.frequency is AlertFrequency.WEEKLY
        outgoing.append((saved, len(ids), alert_message(saved, ids, reasons, digest)))
    outcome = mail.send([message for _saved, _count, message in outgoing])
    delivered = {id(message) for message in outcome.sent} - {id(message) for message, _reason in outcome.failed}
    for saved, count, message in outgoing:
        if id(message) not in delivered:
            reason = next((why for failed, why in outcome.failed if failed is message), "not sent")
            summary.failed.append((saved.user.username, saved.name, reason))
            continue
        saved.watermark, saved.last_sent_at = now, now
        summary.projects += count
        if saved.frequency is AlertFrequency.WEEKLY:
            summary.digests += 1
        else:
            summary.at_once += 1
    return summary
