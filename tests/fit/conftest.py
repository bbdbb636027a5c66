"""Fixtures of the fit finder's tests: the corpus written for them."""

import re

import pytest

from .corpus import build_corpus


@pytest.fixture
def corpus(app):
    """The app with the fit corpus committed."""
    with app.app_context():
        build_corpus()
    return app


RESULT_LINK = re.compile(r'class="project-title"><a href="/projects/([^"]+)"')


def ranked_slugs(html):
    """The slugs of the ranked results, in the order the page shows them."""
    results = html.split('class="fit-results"', 1)
    return RESULT_LINK.findall(results[1].split("</ol>", 1)[0]) if len(results) == 2 else []
