"""Settings with safe defaults; the environment overrides them with the PIONEER_ prefix."""

import os
import secrets
from datetime import timedelta

# Placeholders people paste from tutorials; a production site must not run on them.
WEAK_SECRET_KEYS = {"dev", "development", "secret", "changeme", "change-me", "please-change-me"}
MIN_SECRET_KEY_LENGTH = 24


class Defaults:
    # "development" unless PIONEER_ENV says otherwise; wsgi.py defaults it to "production".
    ENV = "development"
    SECRET_KEY = None
    SQLALCHEMY_DATABASE_URI = None  # Filled in from the instance folder when not set.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SEARCH_INDEX_PATH = None  # Filled in from the instance folder when not set.
    SEARCH_STORAGE = "file"  # or "memory" (tests)
    # "whoosh" (one host: an index folder beside the database) or "postgres" (several hosts sharing one
    # PostgreSQL database; docs/search.md, "Two backends").
    SEARCH_BACKEND = "whoosh"
    PROJECTS_PER_PAGE = 20
    CLAIM_EXPIRY_DAYS = 30
    STALE_AFTER_DAYS = 180
    # Every state-changing request must carry its form's token; only tests switch this off.
    CSRF_ENABLED = True
    # Sign-in throttling: this many failures per account or per address within the window answer 429.
    LOGIN_FAILURE_LIMIT = 10
    # How many reverse proxies (nginx, a load balancer) stand in front of the site. Behind one, every
    # request comes from the proxy's address, so the throttle must read X-Forwarded-For instead.
    PROXY_COUNT = 0
    LOGIN_FAILURE_WINDOW_SECONDS = 300
    # Registration: this many new accounts per client address within the window, then 429.
    REGISTRATION_LIMIT = 5
    REGISTRATION_WINDOW_SECONDS = 3600
    # Password reset links asked for per client address within the same window, then 429.
    RESET_LIMIT = 10
    # Flask's own default (31 days) is already set when this class is read, so it is named here.
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    # Outgoing mail (pioneer/mail.py); without a server the site shows the text to copy instead.
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_USE_STARTTLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_TIMEOUT = 10
    # A page that queued mail hands it over after its commit, waiting at most this long for the server;
    # what is not sent stays queued for `pioneer mail send` (docs/mail.md).
    MAIL_QUEUE_TIMEOUT = 3
    # Links mailed to reset a password, and to confirm an email address, work for this long (seconds).
    PASSWORD_RESET_MAX_AGE = 3600
    EMAIL_VERIFY_MAX_AGE = 7 * 24 * 3600
    MAIL_SENDER = "Pioneer <pioneer@localhost>"
    LIST_ADDRESS = None
    # Links in mail need the site's address, e.g. https://pioneer.example.org
    SITE_URL = "http://127.0.0.1:5000"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SITE_NAME = "Pioneer"
    # Request size limits (docs: README "Serving in production"). The largest legitimate request is the
    # import page: 1,000,000 characters pasted (at most 4 bytes each in UTF-8, about 4 MB) and a file of
    # the same size in one post. 9 MiB lets that through, with room for a file a little over its own limit
    # to get the form's message; anything larger is refused with a 413 from its Content-Length, unread.
    MAX_CONTENT_LENGTH = 9 * 1024 * 1024
    # One text field of a multipart form (the pasted page); Flask's default of 500 kB is too small for it.
    MAX_FORM_MEMORY_SIZE = 5 * 1024 * 1024
    # Fields and files in one multipart form; the largest form (a proposal with all its rows) has under 100.
    MAX_FORM_PARTS = 1000


def is_production(app):
    """Tell whether the app runs as a production site."""
    if app.testing:
        return False
    return app.config["ENV"] == "production"


def load(app, test_config=None):
    """Fill app.config from defaults, the environment and the instance folder."""
    app.config.from_object(Defaults)
    app.config.from_prefixed_env("PIONEER")
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        path = os.path.join(app.instance_path, "pioneer.sqlite3")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    if not app.config["SEARCH_INDEX_PATH"]:
        app.config["SEARCH_INDEX_PATH"] = os.path.join(app.instance_path, "index")
    if is_production(app):
        _require_real_secret_key(app.config.get("SECRET_KEY"))
        app.config["SESSION_COOKIE_SECURE"] = True
    elif not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _development_secret_key(app.instance_path)


def _require_real_secret_key(key):
    if not key or len(str(key)) < MIN_SECRET_KEY_LENGTH or str(key).lower() in WEAK_SECRET_KEYS:
        raise RuntimeError(
            "Pioneer refuses to start in production without a real secret key: set "
            f"PIONEER_SECRET_KEY to a random string of at least {MIN_SECRET_KEY_LENGTH} characters, "
            'for example the output of: python -c "import secrets; print(secrets.token_urlsafe(48))"'
        )


def _development_secret_key(instance_path):
    """Read the instance folder's generated key, creating it on first use."""
    path = os.path.join(instance_path, "secret_key")
    try:
        with open(path, encoding="ascii") as handle:
            key = handle.read().strip()
        if key:
            return key
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(48)
    # O_EXCL makes two processes starting at once agree on one key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _development_secret_key(instance_path)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key
