"""`gst-fleet update --open-pr`: one pull request per service, kept up to date by later
runs, against local bare remotes (reached through GitHub-looking URLs) and a fake GitHub
API on 127.0.0.1. Nothing leaves this machine."""

from __future__ import annotations

import json
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from packaging.version import Version

from tests.releases import TemplateClone, clone_template
from tests.support import output_of, render, replace_in, run, template_source

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("fleet-pull-requests")]

FLEET = [sys.executable, "-m", "gov_service_template.fleet"]
TOKEN = "test-token-not-a-secret"  # noqa: S105 - the fake API's, no secret
PRIVACY = "src/{package}/pages/templates/pages/privacy.html"
NAMES = ("svc-01", "svc-02")
CONFLICTING = "svc-02"


@dataclass
class FakeGitHub:
    """The few endpoints of GitHub's REST API the fleet uses, holding PRs in memory."""

    pulls: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    refused: int = 0
    url: str = ""

    def handle(self, method: str, path: str, query: str, body: Any, auth: str) -> tuple[int, Any]:
        self.requests.append((method, path))
        if auth != f"Bearer {TOKEN}":
            self.refused += 1
            return 401, {"message": "Bad credentials"}
        match = re.fullmatch(r"/repos/(?P<repo>[^/]+/[^/]+)/pulls(?:/(?P<number>\d+))?", path)
        if match is None:
            return 404, {"message": "Not Found"}
        pulls = self.pulls.setdefault(match["repo"], [])
        if method == "GET":
            head = parse_qs(query)["head"][0].split(":", 1)[1]
            return 200, [pull for pull in pulls if pull["head"] == head]
        if method == "POST":
            number = len(pulls) + 1
            pull = {**body, "number": number, "state": "open"}
            pull["html_url"] = f"https://github.example/{match['repo']}/pull/{number}"
            pulls.append(pull)
            return 201, pull
        pull = pulls[int(match["number"]) - 1]
        pull.update(body)
        return 200, pull


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    fake = FakeGitHub()

    class Handler(BaseHTTPRequestHandler):
        def answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length)) if length else None
            parts = urlsplit(self.path)
            auth = self.headers.get("Authorization", "")
            status, payload = fake.handle(self.command, parts.path, parts.query, body, auth)
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = answer  # noqa: N815 - http.server's names

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake
    server.shutdown()


def git(project: Path, *args: str, **env: str) -> str:
    result = run(["git", *args], project, **env)
    assert result.returncode == 0, output_of(result)
    return result.stdout.strip()


def release_with_changelog(template: TemplateClone, note: str) -> str:
    """A template release that a CHANGELOG section of its own describes, as releases do."""
    latest = Version(template.latest)
    version = f"{latest.major}.{latest.minor}.{latest.micro + 1}"  # the tag release() makes

    def change(root: Path) -> None:
        replace_in(
            root / "CHANGELOG.md",
            "## [Unreleased]\n",
            f"## [Unreleased]\n\n## [{version}] - 2026-11-25\n\n### Changed\n\n"
            f"- {note} **What to do:** read your privacy notice again.\n",
        )
        privacy = template_source(root, PRIVACY)
        reworded = re.sub(
            r"We (do not|never) use it for marketing[^.]*\.",
            f"We never use it for marketing ({version}).",
            privacy.read_text(),
        )
        assert reworded != privacy.read_text()
        privacy.write_text(reworded)

    tag = template.release(change, note)
    assert tag == f"v{version}"
    return tag


@pytest.fixture
def fleet(tmp_path: Path) -> tuple[TemplateClone, list[Path], dict[str, str]]:
    """Two services whose origin says github.com/example/<name> but is a local bare repo."""
    template = clone_template(tmp_path / "template")
    remotes = tmp_path / "remotes"
    env = {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"url.{remotes}/.insteadOf",
        "GIT_CONFIG_VALUE_0": "https://github.com/example/",
    }
    services = []
    for name in NAMES:
        run(["git", "init", "--quiet", "--bare", remotes / f"{name}.git"], tmp_path)
        project = render(
            tmp_path / name, {"service_slug": name}, source=template.path, vcs_ref=template.latest
        )
        if name == CONFLICTING:
            privacy = project / PRIVACY.format(package=name.replace("-", "_"))
            replace_in(privacy, "We do not use it for marketing.", "No marketing, ever.")
            git(project, "commit", "--quiet", "-am", "Our wording")
        git(project, "remote", "add", "origin", f"https://github.com/example/{name}.git")
        git(project, "push", "--quiet", "origin", "main", **env)
        services.append(project)
    return template, services, env


def open_prs(github: FakeGitHub, services: list[Path], env: dict[str, str]) -> dict[str, Any]:
    result = run(
        [*FLEET, "update", "--json", "--open-pr", "--test-command", "true", *services],
        services[0].parent,
        GH_TOKEN=TOKEN,
        GITHUB_API_URL=github.url,
        **env,
    )
    assert result.stdout.strip(), output_of(result)
    outcomes = {entry["service"]: entry for entry in json.loads(result.stdout)["services"]}
    for name, outcome in outcomes.items():
        assert outcome["outcome"] in ("updated", "conflicts"), (name, outcome)
    return outcomes


def test_one_pull_request_per_service_then_updated_in_place(
    github: FakeGitHub, fleet: tuple[TemplateClone, list[Path], dict[str, str]]
) -> None:
    template, services, env = fleet
    first = release_with_changelog(template, "Reworded privacy.")

    outcomes = open_prs(github, services, env)

    assert github.refused == 0
    assert [method for method, _ in github.requests].count("POST") == 2
    for service in services:
        (pull,) = github.pulls[f"example/{service.name}"]
        assert pull["title"] == f"Update from the service template to {first}"
        assert (pull["head"], pull["base"]) == ("template-update", "main")
        assert "## What to do" in pull["body"]
        assert "read your privacy notice again" in pull["body"]
        assert outcomes[service.name]["pull_request"] == pull["html_url"]
        remote = service.parent / "remotes" / f"{service.name}.git"
        message = git(remote, "log", "-1", "--format=%s", "template-update")
        assert message.startswith(f"Update from the service template to {first}")
        assert git(service, "branch", "--show-current") == "main"
    conflicting = github.pulls[f"example/{CONFLICTING}"][0]["body"]
    assert "Conflicts to resolve" in conflicting
    assert f"src/{CONFLICTING.replace('-', '_')}/pages/templates/pages/privacy.html" in conflicting
    assert outcomes[CONFLICTING]["outcome"] == "conflicts"

    github.requests.clear()
    second = release_with_changelog(template, "Reworded again.")

    open_prs(github, services, env)

    methods = [method for method, _ in github.requests]
    assert methods.count("POST") == 0, "no duplicate pull request"
    assert methods.count("PATCH") == 2
    for service in services:
        (pull,) = github.pulls[f"example/{service.name}"]
        assert pull["title"] == f"Update from the service template to {second}"
        remote = service.parent / "remotes" / f"{service.name}.git"
        message = git(remote, "log", "-1", "--format=%s", "template-update")
        assert message.startswith(f"Update from the service template to {second}")


def test_a_branch_with_the_teams_commits_is_left_alone(
    github: FakeGitHub, fleet: tuple[TemplateClone, list[Path], dict[str, str]]
) -> None:
    template, services, env = fleet
    release_with_changelog(template, "Reworded privacy.")
    open_prs(github, services[:1], env)
    service = services[0]
    git(service, "switch", "--quiet", "template-update")
    (service / "NOTES.md").write_text("Our notes on this update.\n")
    git(service, "add", "NOTES.md")
    git(service, "commit", "--quiet", "-m", "Our notes")
    git(service, "push", "--quiet", "origin", "template-update", **env)
    git(service, "switch", "--quiet", "main")
    release_with_changelog(template, "Reworded again.")

    result = run(
        [*FLEET, "update", "--json", "--open-pr", "--test-command", "true", service],
        service.parent,
        GH_TOKEN=TOKEN,
        GITHUB_API_URL=github.url,
        **env,
    )

    (outcome,) = json.loads(result.stdout)["services"]
    assert outcome["outcome"] == "skipped", outcome
    assert "commits of the team's" in outcome["detail"]
    remote = service.parent / "remotes" / f"{service.name}.git"
    assert git(remote, "log", "-1", "--format=%s", "template-update") == "Our notes"
