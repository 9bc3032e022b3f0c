"""gunicorn.conf.py: the settings the service runs with in production."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pytest

CONFIG = Path(__file__).parents[2] / "gunicorn.conf.py"


def load(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    for name in ("PORT", "WEB_CONCURRENCY", "LOG_LEVEL", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_defaults_suit_a_container(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load(monkeypatch)

    assert settings["bind"] == "0.0.0.0:8000"
    assert 1 <= settings["workers"] <= settings["MAX_DEFAULT_WORKERS"]
    assert settings["accesslog"] == "-"
    assert settings["loglevel"] == "info"
    assert settings["forwarded_allow_ips"] == "127.0.0.1,::1"


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


def test_worker_heartbeats_stay_off_the_read_only_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load(monkeypatch)

    if settings["SHARED_MEMORY"].is_dir():
        assert settings["worker_tmp_dir"] == str(settings["SHARED_MEMORY"])
    else:
        assert "worker_tmp_dir" not in settings
