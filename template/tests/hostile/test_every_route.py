"""Every route in the service's URL map, sent hostile input: query strings, headers and
path segments on every GET; form bodies on every POST, with a valid CSRF token and the
form's other fields as a user would send them, one hostile field at a time.

Routes are read from the URL map, so a route added later is in the gate from its first
commit."""

from __future__ import annotations

from itertools import cycle

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.routing import AnyConverter, IntegerConverter, Rule

from tests.helpers import csrf_token
from tests.hostile.conftest import Inspector
from tests.hostile.forms import Form, forms_in
from tests.hostile.payloads import KNOWN_HOSTILE, hostile_text

# Names the service reads from a query string, and names it does not.
QUERY_NAMES = ("next", "lang", "change", "state", "code", "error", "token", "page", "x")
HOSTILE_HEADERS = (
    "Referer",
    "User-Agent",
    "Accept-Language",
    "Origin",
    "Cookie",
    "X-Forwarded-For",
    "X-Forwarded-Host",
    "X-Forwarded-Proto",
    "Forwarded",
    "X-Request-Id",
    "If-None-Match",
    "Range",
)
EXAMPLE_SEGMENT = "example"


def rules(app: Flask, method: str) -> list[Rule]:
    return sorted(
        (rule for rule in app.url_map.iter_rules() if method in (rule.methods or ())),
        key=lambda rule: rule.rule,
    )


def path_of(app: Flask, rule: Rule, segment: str) -> str:
    """The rule's path, with `segment` in every part a URL fills in with text (a number
    or one of a few words where the part must be one)."""
    values: dict[str, object] = {}
    for name in rule.arguments:
        converter = rule._converters.get(name)
        if converter is None:  # not in the path: the rule gives it (a journey's name, say)
            values[name] = (rule.defaults or {})[name]
        elif isinstance(converter, IntegerConverter):
            values[name] = len(segment) % 3  # 0, 1 or 2: none, the first, past the last
        elif isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        else:
            values[name] = segment or EXAMPLE_SEGMENT
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def as_header(value: str) -> str:
    """`value` as a browser would send it in a header: UTF-8 bytes, which the server reads
    as Latin-1. HTTP cannot carry line breaks or NUL in a header, so they never arrive."""
    sendable = value.encode("utf-8").decode("latin-1")
    return "".join(c for c in sendable if c not in "\r\n\x00")


def test_every_get_route_answers_every_known_hostile_query_and_header(
    app: Flask, client: FlaskClient, inspector: Inspector
) -> None:
    names, headers = cycle(QUERY_NAMES), cycle(HOSTILE_HEADERS)
    for rule in rules(app, "GET"):
        for value in KNOWN_HOSTILE:
            path = path_of(app, rule, value if rule.arguments else "")
            name, header = next(names), next(headers)
            response = client.get(
                path,
                query_string={name: value, value[:40] or "empty": "1"},
                headers={header: as_header(value)},
            )
            inspector.check(response, f"GET {path} ?{name}={value!r} {header}: {value!r}")
    inspector.assert_all_safe()


def test_every_get_route_answers_any_query_and_header(
    app: Flask, client: FlaskClient, inspector: Inspector
) -> None:
    @settings(settings.get_profile("hostile"), max_examples=100)
    @given(
        rule=st.sampled_from(rules(app, "GET")),
        segment=hostile_text(),
        query=st.dictionaries(
            st.sampled_from(QUERY_NAMES) | hostile_text(), hostile_text(), max_size=3
        ),
        header=st.sampled_from(HOSTILE_HEADERS),
        header_value=hostile_text(),
    )
    def get(
        rule: Rule, segment: str, query: dict[str, str], header: str, header_value: str
    ) -> None:
        path = path_of(app, rule, segment)
        response = client.get(path, query_string=query, headers={header: as_header(header_value)})
        inspector.check(response, f"GET {path} {query!r} {header}: {header_value!r}")

    get()
    inspector.assert_all_safe()


def forms_on_the_pages(app: Flask, client: FlaskClient) -> list[Form]:
    """The forms a user reaches without answering anything: on every page with no part
    to fill in, after its redirects."""
    found: dict[str, Form] = {}
    for rule in rules(app, "GET"):
        if rule.arguments:
            continue
        path = rule.rule
        response = client.get(path)
        for _ in range(5):  # redirects within the service only (some lead to a provider)
            location = response.headers.get("Location", "")
            if not location.startswith("/") or location.startswith("//"):
                break
            path = location
            response = client.get(path)
        if response.mimetype != "text/html":
            continue
        for form in forms_in(response.get_data(as_text=True), path):
            found.setdefault(form.action.split("?")[0], form)
    return list(found.values())


def test_every_form_takes_one_hostile_field_at_a_time(
    app: Flask, client: FlaskClient, inspector: Inspector
) -> None:
    forms = forms_on_the_pages(app, client)
    token = csrf_token(client.get("/").get_data(as_text=True))
    for form in forms:
        for name in [*form.names, "unexpected"]:
            for value in KNOWN_HOSTILE:
                body = form.body({"csrf_token": token}) | {name: value}
                response = client.post(form.action, data=body)
                inspector.check(response, f"POST {form.action} {name}={value!r}")
    inspector.assert_all_safe()


def test_every_post_route_answers_any_body(
    app: Flask, client: FlaskClient, inspector: Inspector
) -> None:
    """Including routes with no form on a page (a provider's server-to-server callback, say),
    and with the parts of their path hostile too."""
    token = csrf_token(client.get("/").get_data(as_text=True))
    post_rules = rules(app, "POST")
    assert post_rules, "the service has forms"

    @settings(settings.get_profile("hostile"), max_examples=100)
    @given(
        rule=st.sampled_from(post_rules),
        segment=hostile_text(),
        body=st.dictionaries(
            st.sampled_from(QUERY_NAMES) | hostile_text(), hostile_text(), max_size=4
        ),
        with_token=st.booleans(),
    )
    def post(rule: Rule, segment: str, body: dict[str, str], with_token: bool) -> None:
        path = path_of(app, rule, segment)
        data = body | ({"csrf_token": token} if with_token else {})
        response = client.post(path, data=data)
        inspector.check(response, f"POST {path} {data!r}")

    post()
    inspector.assert_all_safe()
