"""The health check for operators and load balancers."""

from flask import Blueprint

bp = Blueprint("health", __name__)

from . import views  # noqa: E402,F401  (views register on bp)
