"""The hostile-input gate: every route in the service's URL map, and the flows that take
several steps (a journey part-answered, the cookie banner, signing in, paying), sent
hostile input. See the threat model in docs/security.md."""

from __future__ import annotations

import pytest
from flask import Flask
from hypothesis import HealthCheck, settings

from tests.hostile.checks import assert_answered_safely, trusted_origins

# The same examples on every run, so the gate fails the same way on a laptop and in CI.
settings.register_profile(
    "hostile",
    derandomize=True,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Inspector:
    """Sends each response to the checks, and keeps every failure, so one run lists them
    all rather than the first."""

    def __init__(self, app: Flask) -> None:
        self.trusted = trusted_origins(app)
        self.failures: list[str] = []

    def check(self, response: object, what: str) -> None:
        try:
            assert_answered_safely(response, self.trusted, what)  # type: ignore[arg-type]
        except AssertionError as failure:
            self.failures.append(str(failure).splitlines()[0])

    def assert_all_safe(self) -> None:
        shown = "\n".join(self.failures[:30])
        assert not self.failures, f"{len(self.failures)} unsafe answers:\n{shown}"


@pytest.fixture
def inspector(app: Flask) -> Inspector:
    return Inspector(app)
