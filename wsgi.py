"""The WSGI entry point for production servers: `gunicorn -w 4 wsgi:app`."""

import os

from pioneer import create_app

# Served through WSGI means production unless said otherwise: a real secret key is then required.
os.environ.setdefault("PIONEER_ENV", "production")

app = create_app()
