"""Check real answers against the API's own OpenAPI description (jsonschema, draft 2020-12, as OpenAPI 3.1)."""

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_URI = "urn:pioneer:openapi"


def _pointer(*parts):
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def response_schema(spec, path_template, status, content_type):
    """The JSON schema of an operation's answer for status and content type (following $ref to components)."""
    responses = spec["paths"][path_template]["get"]["responses"]
    response = responses.get(str(status)) or responses["default"]
    if "$ref" in response:
        name = response["$ref"].rsplit("/", 1)[1]
        response = spec["components"]["responses"][name]
    assert content_type in response["content"], (path_template, status, list(response["content"]))
    return response["content"][content_type]["schema"]


def assert_matches_description(spec, path_template, response):
    """Fail with every difference between a real response and what the description promises."""
    content_type = response.mimetype
    schema = response_schema(spec, path_template, response.status_code, content_type)
    registry = Registry().with_resource(SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012))
    wrapper = {"$ref": f"{SPEC_URI}#/{_pointer('components', 'schemas')}/{schema['$ref'].rsplit('/', 1)[1]}"} \
        if "$ref" in schema else schema
    validator = Draft202012Validator(wrapper, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(response.get_json())]
    assert errors == [], (path_template, errors)
