"""The API keeps its published contract: schemathesis generates requests for every operation of
/api/v1/openapi.json, in-process through the WSGI application, as an anonymous visitor, a clerk
and the center admin. No answer may be a server error, carry an undocumented status or content
type, or differ from its documented schema (4xx answers included: ErrorOut).

A small deterministic budget (EXAMPLES per operation, derandomized) keeps it near a minute.
"""

import json
import os
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from chuangkou.api import ERROR_RESPONSES, api
from chuangkou.wsgi import application

EXAMPLES = int(os.environ.get("CHUANGKOU_API_EXAMPLES", "5"))  # more for a deeper local run
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
BUDGET = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _schema():
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


def _operations():
    return [result.ok() for result in _schema().get_all_operations()]


def _exercise(operation, identities: dict[str, dict], answers: Counter) -> str | None:
    """Send each generated case as every identity; the report of the first failure, if any."""

    @BUDGET
    @given(case=operation.as_strategy())
    def run(case):
        for who, headers in identities.items():
            response = case.call(headers=headers)
            answers[who, response.status_code // 100] += 1
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except Exception as exc:
                exc.add_note(f"as {who}")
                raise

    try:
        run()
    except Exception as exc:  # noqa: BLE001 - every operation is tried, all failures reported
        notes = "; ".join(getattr(exc, "__notes__", []))
        return f"{operation.label} ({notes}): {exc}"
    return None


@pytest.fixture(autouse=True)
def _connection_kept_open():
    """The WSGI application closes the database connection after each request; inside a test
    transaction it must stay open (Django's test Client does the same)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


# --- the contract itself ---------------------------------------------------------------------


def test_schema_names_are_unique_and_every_reference_resolves():
    document = api.get_openapi_schema()
    components = document["components"]["schemas"]
    text = json.dumps(document)
    referenced = {ref.split("/")[-1] for ref in _refs(document)}
    assert referenced <= set(components), referenced - set(components)
    assert "ErrorOut" in components
    assert text  # the whole document serialises


def _refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_no_two_schema_classes_share_a_name():
    """ninja names a component after its class: two classes of one name in different apps make
    one endpoint described by the other's schema."""
    from pydantic import BaseModel

    names = Counter(
        cls.__name__
        for cls in _subclasses(BaseModel)
        if cls.__module__.startswith("chuangkou.") and not cls.__name__.startswith("Ninja")
    )
    assert [name for name, count in names.items() if count > 1] == []


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_operation_documents_every_error_answer():
    document = api.get_openapi_schema()
    missing = [
        f"{method.upper()} {path}: {code}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for code in ERROR_RESPONSES
        if str(code) not in {str(c) for c in operation["responses"]}
    ]
    assert missing == []


# --- schemathesis over the whole schema ------------------------------------------------------


@pytest.mark.django_db
def test_no_server_error_and_no_schema_violation(org_small, api_client_as):
    identities = {
        "anonymous": {},
        "clerk": api_client_as(org_small.clerk_a1, token=True).headers,
        "center admin": api_client_as(org_small.admin, token=True).headers,
    }
    answers: Counter = Counter()
    failures = [
        failure
        for operation in _operations()
        if (failure := _exercise(operation, identities, answers)) is not None
    ]
    assert not failures, "\n\n".join(failures)
    # The signed-in runs got past authentication: the fuzzing reached the endpoints' logic.
    for who in ("clerk", "center admin"):
        assert answers[who, 2] > 0, answers
