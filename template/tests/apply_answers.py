"""Valid answers to the example journey, page by page, as a browser would post them."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.helpers import page_token

PAGES: dict[str, dict[str, str | list[str]]] = {
    "name": {"full_name": "Ada Lovelace"},
    "date-of-birth": {"date_of_birth": ["10", "12", "1990"]},
    "experience": {"juggled_in_public": "yes", "years": "5"},
    "equipment": {"equipment": ["balls", "clubs"]},
    "email": {"email": "ada@example.com"},
    "address": {
        "address_line_1": "1 High Street",
        "address_line_2": "",
        "town": "Leeds",
        "county": "",
        "postcode": "ls1  1ab",
    },
    "act": {"act": "Five balls while reciting poetry.\r\nTen minutes, in the park."},
}
SLUGS = list(PAGES)


def answer(client: FlaskClient, slug: str, **changes: str | list[str]) -> str:
    """Answer one page (optionally with some fields changed); return where it went."""
    token = page_token(client, f"/apply/{slug}")
    response = client.post(f"/apply/{slug}", data={**PAGES[slug], **changes, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def answer_all(client: FlaskClient, until: str | None = None) -> None:
    """Answer every page in order, stopping before `until` if given."""
    for slug in SLUGS:
        if slug == until:
            return
        answer(client, slug)
