"""Whatever anyone posts to a journey page, the service answers properly: the next page,
or the page again with its error summary. Never a server error."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.apply_answers import PAGES, SLUGS, answer_all
from tests.helpers import page_token

ODD_TEXT = ["", " ", "\x00", "\r\n", "<script>alert(1)</script>", "'; DROP TABLE x; --", "\u202e"]


def repeated(part: str, size: int) -> str:
    return (part * size)[:size]


# Far past every length limit: short random text repeated, as long as thousands of random
# characters and much quicker to make.
long_text = st.builds(repeated, st.text(min_size=1, max_size=20), st.integers(2_000, 20_000))
text = st.one_of(st.text(max_size=40), long_text, st.sampled_from(ODD_TEXT))
value = st.one_of(text, st.lists(text, max_size=5))
PROPERTY_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def posts_to(slug: str) -> st.SearchStrategy[dict[str, object]]:
    """Any subset of the page's fields (so some go missing), each with any value."""
    return st.dictionaries(st.sampled_from(list(PAGES[slug])), value)


@pytest.mark.parametrize("slug", SLUGS)
def test_any_post_goes_forward_or_shows_the_error_summary(client: FlaskClient, slug: str) -> None:
    answer_all(client, until=slug)
    token = page_token(client, f"/apply/{slug}")
    position = SLUGS.index(slug)
    forward = (
        f"/apply/{SLUGS[position + 1]}"
        if position + 1 < len(SLUGS)
        else "/apply/check-your-answers"
    )

    @PROPERTY_SETTINGS
    @given(posts_to(slug))
    def post(data: dict[str, object]) -> None:
        response = client.post(f"/apply/{slug}", data={**data, "csrf_token": token})
        if response.status_code == 302:
            assert response.headers["Location"] == forward
        else:
            assert response.status_code == 200
            assert 'class="govuk-error-summary"' in response.get_data(as_text=True)

    post()


def test_any_post_to_check_answers_saves_nothing_it_should_not(client: FlaskClient) -> None:
    answer_all(client)
    token = page_token(client, "/apply/check-your-answers")

    @PROPERTY_SETTINGS
    @given(st.dictionaries(st.just("submission_key"), text))
    def post(data: dict[str, object]) -> None:
        response = client.post("/apply/check-your-answers", data={**data, "csrf_token": token})
        assert response.status_code == 200, "only the page's own key sends the application"

    post()
