"""What every template can use: enums, the signed-in user, URL helpers."""

from flask import request, url_for

from .models import PUBLIC_STATUSES, ProjectStatus, SkillLevel, Stars, TimeRating


def url_with(**changes):
    """Build the current URL with some query arguments changed (None removes one)."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value if isinstance(value, list) else [value]
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def init_app(app):
    app.jinja_env.globals.update(
        Stars=Stars,
        TimeRating=TimeRating,
        ProjectStatus=ProjectStatus,
        SkillLevel=SkillLevel,
        PUBLIC_STATUSES=PUBLIC_STATUSES,
        url_with=url_with,
        site_name=app.config["SITE_NAME"],
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
