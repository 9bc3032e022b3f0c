"""gunicorn.conf.py: the settings the service runs with in production."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

CONFIG = Path(__file__).parents[2] / "gunicorn.conf.py"


def load(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    for name in ("PORT", "WEB_CONCURRENCY", "LOG_LEVEL", "FORWARDED_ALLOW_IPS", "METRICS_PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_defaults_suit_a_container(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load(monkeypatch)

    assert settings["bind"] == "0.0.0.0:8000"
    assert 1 <= settings["workers"] <= settings["MAX_DEFAULT_WORKERS"]
    assert settings["accesslog"] is None  # the service logs each request as JSON
    assert settings["loglevel"] == "info"
    assert settings["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert settings["METRICS_PORT"] == 9102  # gunicorn's master serves metrics here
    assert settings["control_socket_disable"] is True  # its home folder is read-only


def test_the_platform_sets_port_workers_and_trusted_proxies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = load(
        monkeypatch, PORT="9000", WEB_CONCURRENCY="3", LOG_LEVEL="WARNING", FORWARDED_ALLOW_IPS="*"
    )

    assert settings["bind"] == "0.0.0.0:9000"
    assert settings["workers"] == 3
    assert settings["loglevel"] == "warning"
    assert settings["forwarded_allow_ips"] == "*"
    networks = load(monkeypatch, FORWARDED_ALLOW_IPS="10.0.0.0/8, 127.0.0.1,::1")
    assert networks["forwarded_allow_ips"] == "10.0.0.0/8, 127.0.0.1,::1"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PORT": "eighty"}, "PORT must be a whole number from 1 to 65535; it is 'eighty'"),
        ({"PORT": "70000"}, "PORT must be a whole number from 1 to 65535; it is '70000'"),
        ({"WEB_CONCURRENCY": "2.5"}, "WEB_CONCURRENCY must be a whole number from 1 to 64"),
        ({"WEB_CONCURRENCY": "0"}, "WEB_CONCURRENCY must be a whole number from 1 to 64"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL must be one of debug, info, warning, error"),
        ({"METRICS_PORT": "9102a"}, "METRICS_PORT must be a whole number from 0 to 65535"),
        (
            {"FORWARDED_ALLOW_IPS": "10.0.0.0/8,ingress"},
            "FORWARDED_ALLOW_IPS must be IP addresses or networks separated by commas, or *; "
            "'ingress' is not one",
        ),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], message: str
) -> None:
    with pytest.raises(SystemExit) as refused:
        load(monkeypatch, **env)

    assert str(refused.value).startswith(message)


def test_gunicorn_stops_on_a_bad_value_with_one_line_and_no_traceback() -> None:
    check = [sys.executable, "-m", "gunicorn", "--config", str(CONFIG), "--check-config"]
    result = subprocess.run(
        [*check, "unused:app"],
        env=os.environ | {"PORT": "eighty"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert result.stderr.strip() == "PORT must be a whole number from 1 to 65535; it is 'eighty'"


def test_worker_heartbeats_stay_off_the_read_only_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load(monkeypatch)

    if settings["SHARED_MEMORY"].is_dir():
        assert settings["worker_tmp_dir"] == str(settings["SHARED_MEMORY"])
    else:
        assert "worker_tmp_dir" not in settings


def test_an_app_without_the_services_metrics_is_served_without_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another app run with these settings (the bench's bare Flask) still starts."""
    settings = load(monkeypatch)
    warnings: list[str] = []
    server = SimpleNamespace(
        app=SimpleNamespace(app_uri="json:dumps"),
        log=SimpleNamespace(warning=lambda message, *args: warnings.append(message % args)),
    )

    settings["when_ready"](server)

    assert warnings == ["No metrics served: json has no metrics.exporter"]
