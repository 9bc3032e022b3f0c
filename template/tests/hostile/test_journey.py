"""The journey's steps, each reached the way a user reaches it: every question page
part-answered, Change links, check answers, and the cookie banner mid-journey, each sent
hostile input one field at a time, with a valid CSRF token and valid other answers."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.apply_answers import PAGES, SLUGS, answer, answer_all
from tests.hostile.conftest import Inspector
from tests.hostile.forms import own_form
from tests.hostile.payloads import KNOWN_HOSTILE, MARKUP

CHECK_ANSWERS = "/apply/check-your-answers"


def test_each_question_takes_one_hostile_field_at_a_time(
    client: FlaskClient, inspector: Inspector
) -> None:
    for slug in SLUGS:
        answer_all(client, until=slug)
        path = f"/apply/{slug}"
        form = own_form(client.get(path).get_data(as_text=True), path)
        for name in [*form.names, "unexpected"]:
            for value in KNOWN_HOSTILE:
                body = form.body(PAGES[slug]) | {name: value}
                inspector.check(client.post(path, data=body), f"POST {path} {name}={value!r}")
        answer(client, slug)  # a valid answer again, for the pages after it
    inspector.assert_all_safe()


def test_answers_that_look_like_markup_are_shown_as_text(
    client: FlaskClient, inspector: Inspector
) -> None:
    """Valid answers a person could type, everywhere they are shown again."""
    for mark in MARKUP:
        for slug in SLUGS:
            changed = {
                name: f"{value} {mark}"
                for name, value in PAGES[slug].items()
                if isinstance(value, str) and name != "email"
            }
            path = f"/apply/{slug}"
            form = own_form(client.get(path).get_data(as_text=True), path)
            sent = client.post(path, data=form.body(PAGES[slug] | changed))
            inspector.check(sent, f"{slug} answered with {mark!r}")
            if sent.status_code != 302:  # not a valid answer to this question
                answer(client, slug)
            inspector.check(client.get(path), f"{slug} answered with {mark!r}, again")
        inspector.check(client.get(CHECK_ANSWERS), f"check answers with {mark!r}")
    inspector.assert_all_safe()


def test_change_links_and_check_answers_take_hostile_input(
    client: FlaskClient, inspector: Inspector
) -> None:
    answer_all(client)
    form = own_form(client.get(CHECK_ANSWERS).get_data(as_text=True), CHECK_ANSWERS)
    for value in KNOWN_HOSTILE:
        for slug in SLUGS:
            path = f"/apply/{slug}"
            inspector.check(
                client.get(path, query_string={"change": value}), f"GET {path}?change={value!r}"
            )
            body = PAGES[slug] | {"csrf_token": form.fields["csrf_token"][0]}
            response = client.post(path, query_string={"change": "1", "next": value}, data=body)
            inspector.check(response, f"POST {path}?change=1&next={value!r}")
        for name in form.names:
            response = client.post(CHECK_ANSWERS, data=form.body() | {name: value})
            inspector.check(response, f"POST {CHECK_ANSWERS} {name}={value!r}")
    inspector.assert_all_safe()


def test_the_cookie_banner_mid_journey_takes_hostile_input(
    client: FlaskClient, inspector: Inspector
) -> None:
    answer_all(client, until=SLUGS[-1])
    path = f"/apply/{SLUGS[-1]}"
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
