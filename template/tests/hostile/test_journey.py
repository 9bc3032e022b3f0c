"""Every journey's steps, each reached the way a user reaches it: every question page
part-answered, Change links, check answers, and the cookie banner mid-journey, each sent
hostile input one field at a time, with a valid CSRF token and valid other answers."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.hostile.conftest import Inspector
from tests.hostile.forms import own_form
from tests.hostile.payloads import ANSWER_HOSTILE, KNOWN_HOSTILE, MARKUP
from tests.journeys import JOURNEY, answer_all, check_answers_path, post, walk


def test_each_question_takes_one_hostile_field_at_a_time(
    client: FlaskClient, inspector: Inspector
) -> None:
    for number, visit in enumerate(walk(JOURNEY)):
        if visit.data is None:
            break
        form = own_form(client.get(visit.path).get_data(as_text=True), visit.path)
        for name in [*form.names, "unexpected"]:
            values = ANSWER_HOSTILE
            if name in ("csrf_token", "unexpected"):
                # The same code reads these on every page: every case once, on the first.
                values = KNOWN_HOSTILE if number == 0 else MARKUP
            for value in values:
                body = form.body(visit.data) | {name: value}
                response = client.post(visit.path, data=body)
                inspector.check(response, f"POST {visit.path} {name}={value!r}")
        post(client, visit)  # a valid answer again, for the pages after it
    inspector.assert_all_safe()


def test_answers_that_look_like_markup_are_shown_as_text(
    client: FlaskClient, inspector: Inspector
) -> None:
    """Valid answers a person could type, everywhere they are shown again."""
    for mark in MARKUP:
        for visit in walk(JOURNEY):
            if visit.data is None:
                break
            marked = {
                name: f"{value} {mark}"
                for name, value in visit.data.items()
                if isinstance(value, str) and "email" not in name
            }
            sent = post(client, visit, **marked)
            inspector.check(sent, f"{visit.path} answered with {mark!r}")
            if sent.status_code != 302:  # not a valid answer to this question
                post(client, visit)
            inspector.check(client.get(visit.path), f"{visit.path} answered with {mark!r}, again")
        inspector.check(client.get(check_answers_path()), f"check answers with {mark!r}")
    inspector.assert_all_safe()


def test_change_links_and_check_answers_take_hostile_input(
    client: FlaskClient, inspector: Inspector
) -> None:
    answer_all(client)
    check = check_answers_path()
    form = own_form(client.get(check).get_data(as_text=True), check)
    answered = [visit for visit in walk(JOURNEY) if visit.data is not None]
    for value in ANSWER_HOSTILE:
        for visit in answered:
            response = client.get(visit.path, query_string={"change": value})
            inspector.check(response, f"GET {visit.path}?change={value!r}")
            assert visit.data is not None
            body = visit.data | {"csrf_token": form.fields["csrf_token"][0]}
            response = client.post(
                visit.path, query_string={"change": "1", "next": value}, data=body
            )
            inspector.check(response, f"POST {visit.path}?change=1&next={value!r}")
        for name in form.names:
            response = client.post(check, data=form.body() | {name: value})
            inspector.check(response, f"POST {check} {name}={value!r}")
    inspector.assert_all_safe()


def test_the_cookie_banner_mid_journey_takes_hostile_input(
    client: FlaskClient, inspector: Inspector
) -> None:
    visits = answer_all(client)
    path = visits[-1].path
    for value in KNOWN_HOSTILE:
        client.delete_cookie("cookies_policy")  # the banner again
        page = client.get(path, query_string={"x": value})
        inspector.check(page, f"GET {path}?x={value!r}")
        banner = own_form(page.get_data(as_text=True), path, action="/cookies/banner")
        for name in banner.names:
            response = client.post(banner.action, data=banner.body() | {name: value})
            inspector.check(response, f"POST {banner.action} {name}={value!r}")
            if location := response.headers.get("Location"):
                inspector.check(client.get(location), f"following the banner's {location!r}")
    inspector.assert_all_safe()
