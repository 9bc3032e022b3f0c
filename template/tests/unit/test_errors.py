"""Server errors get the GOV.UK error page, never a stack trace."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import make_app, make_settings


def test_an_unexpected_error_gets_the_service_error_page(tmp_path: Path) -> None:
    app = make_app(make_settings(tmp_path))

    @app.get("/raise-an-error")
    def raise_an_error() -> str:
        raise RuntimeError("something broke")

    response = app.test_client().get("/raise-an-error")

    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Sorry, there is a problem with the service" in html
    assert "something broke" not in html
    assert "Traceback" not in html
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_wrong_method_gets_a_styled_page(tmp_path: Path) -> None:
    app = make_app(make_settings(tmp_path))

    response = app.test_client().delete("/")

    assert response.status_code == 405
    assert "govuk-template" in response.get_data(as_text=True)
