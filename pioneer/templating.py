"""What every template can use: enums, URL helpers, and the filters that write dates and counts one way."""

from flask import g, request, url_for

from .dates import local_time, long_date, short_date, time_in, utc_time
from .domain.pickers import time_zones
from .links import site_url
from .models import PUBLIC_STATUSES, InternStatus, ProjectStatus, ReviewAction, SkillLevel, Stars, TimeRating
from .text import is_web_url


def url_with(**changes):
    """Build the current URL with some query arguments changed (None removes one)."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value if isinstance(value, list) else [value]
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def listing_url(endpoint, drop=("page",), **extra):
    """The address of another view of this listing (a download, its feed): the same filters, without drop."""
    args = {key: values for key, values in request.args.to_dict(flat=False).items() if key not in drop}
    args.update(extra)
    return url_for(endpoint, **args)


def combine_aria(attrs, described_by, errors):
    """Add the accessibility attributes of a field: what describes it, and whether it is invalid."""
    attrs = dict(attrs)
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if errors:
        attrs["aria-invalid"] = "true"
    return attrs


def plural(count, singular, plural_form=None):
    """Write a count with its noun: {{ n|plural("project") }} gives "1 project", "3 projects"."""
    noun = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {noun}"


# What each step of a project's history says, as done: "Approved by Rita", not "approve by Rita".
HISTORY_LABELS = {
    ReviewAction.IMPORT: "Imported",
    ReviewAction.SUBMIT: "Submitted for review",
    ReviewAction.RESUBMIT: "Submitted again",
    ReviewAction.APPROVE: "Approved",
    ReviewAction.REQUEST_CHANGES: "Changes requested",
    ReviewAction.REJECT: "Rejected",
    ReviewAction.ARCHIVE: "Archived",
    ReviewAction.RESTORE: "Restored",
    ReviewAction.CONFIRM: "Confirmed as still accurate",
    ReviewAction.RATE: "Ratings changed",
    ReviewAction.FLAG: "Flagged for review",
    ReviewAction.START: "Work started",
    ReviewAction.RELEASE: "Released",
    ReviewAction.FINISH: "Marked done",
    ReviewAction.MERGE_MENTOR: "Mentor profile merged into an account",
    ReviewAction.COMMENT: "Comment",
}


def history_entry(event):
    """The words and the time of one history step, written the same on every page: (label, when)."""
    return HISTORY_LABELS.get(event.action, event.action.label.capitalize()), utc_time(event.created_at)


def viewer_time(moment):
    """Write a UTC time in the viewer's zone, labelled: {{ call.starts_at|local_time }}."""
    return local_time(moment, g.get("user"))


def init_app(app):
    app.add_template_filter(combine_aria)
    app.add_template_filter(plural)
    app.add_template_filter(long_date, "date")
    app.add_template_filter(short_date, "short_date")
    app.add_template_filter(utc_time, "utc_time")
    app.add_template_filter(viewer_time, "local_time")
    app.add_template_filter(time_in, "time_in")
    app.jinja_env.globals.update(
        Stars=Stars,
        TimeRating=TimeRating,
        ProjectStatus=ProjectStatus,
        InternStatus=InternStatus,
        SkillLevel=SkillLevel,
        PUBLIC_STATUSES=PUBLIC_STATUSES,
        url_with=url_with,
        listing_url=listing_url,
        site_url=site_url,
        is_web_url=is_web_url,
        history_entry=history_entry,
        site_name=app.config["SITE_NAME"],
        time_zones=time_zones,
    )
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
