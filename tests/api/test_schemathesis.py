"""Schemathesis over the whole API: every operation, with data drawn from the description itself.

Positive and negative cases (values the description allows, and values it forbids) go through the app in
this process (WSGI), and every check schemathesis has must pass: no server error, documented statuses,
content types and headers, answers that match their schemas, forbidden input refused, allowed input
accepted. Schemathesis's own pytest loader reads a private attribute pytest 9 no longer has, so the
operations are walked here with its Python API and Hypothesis's `given`.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from .conftest import _catalogue

EXAMPLES = 40


@pytest.fixture
def api_schema(app):
    with app.app_context():
        _catalogue()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def operations(schema):
    found = []
    for result in schema.get_all_operations():
        found.append(result.ok())
    return found


@pytest.mark.parametrize("mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE])
def test_the_api_keeps_every_promise_of_its_description(api_schema, mode):
    walked = []
    for operation in operations(api_schema):
        if mode == schemathesis.GenerationMode.NEGATIVE and not len(operation.query):
            # Nothing to get wrong: no query argument (a path argument is any text, so any is allowed).
            continue

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate()

        check()
        walked.append(operation.label)
    expected = ["GET /api/v1/mentors", "GET /api/v1/projects"]
    if mode == schemathesis.GenerationMode.POSITIVE:
        expected = sorted([*expected, "GET /api/v1/areas", "GET /api/v1/calls", "GET /api/v1/mentors/{username}",
                           "GET /api/v1/projects/{slug}", "GET /api/v1/rounds", "GET /api/v1/skills"])
    assert sorted(walked) == expected
