"""A service made with database=postgresql (and GOV.UK Pay), against a real PostgreSQL
server: twenty people each sending and paying for 25 applications at once lose none,
duplicate none, and pay for none twice; and the rate limits' counter, hit from many
threads at once, counts every hit."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.postgres import postgresql_server
from tests.support import output_of, render, run

pytestmark = pytest.mark.slow


def test_concurrent_applications_are_all_saved_once(tmp_path: Path) -> None:
    project = render(tmp_path / "service", {"database": "postgresql", "payments": "govuk_pay"})

    with postgresql_server() as database_url:
        result = run(
            ["uv", "run", "--locked", "nox", "-s", "concurrency"],
            project,
            TEST_DATABASE_URL=database_url,
            CONCURRENCY_CLIENTS="20",
            CONCURRENCY_JOURNEYS="25",
        )

    assert result.returncode == 0, output_of(result)
    assert "2 passed" in result.stdout
