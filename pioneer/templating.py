"""What every template can use: enums, URL helpers, and the filters that write dates and counts one way."""

from flask import g, request, url_for

from .dates import local_time, long_date, short_date, time_in, utc_time
from .domain.pickers import time_zones
from .links import site_url
from .models import PUBLIC_STATUSES, InternStatus, ProjectStatus, SkillLevel, Stars, TimeRating
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
        site_url=site_url,
        is_web_url=is_web_url,
        site_name=app.config["SITE_NAME"],
        time_zones=time_zones,
    )
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
