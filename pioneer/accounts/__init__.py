"""Accounts: register, sign in and out, the account pages; sessions and sign-in throttling."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from . import views  # noqa: E402,F401  (views register on bp)
