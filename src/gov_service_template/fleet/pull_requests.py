"""Pull requests for template updates, through GitHub's REST API.

One pull request per service, from the fleet's update branch: a later run updates its
title and body instead of opening another. The body tells the team what to do first (the
CHANGELOG's "What to do" notes between their release and the new one), then what needs
their eyes (conflicts, moved and removed files), the test outcome, and the whole CHANGELOG.

GITHUB_API_URL points elsewhere for GitHub Enterprise (and at a fake in the tests); the
token comes from GH_TOKEN or GITHUB_TOKEN, as the gh CLI and GitHub Actions use them.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from gov_service_template.fleet.fixups import version_of
from gov_service_template.fleet.results import UpdateResult
from gov_service_template.fleet.running import FleetError, git
from gov_service_template.fleet.template import file_at

DEFAULT_API = "https://api.github.com"
# GitHub refuses bodies over 65,536 characters.
BODY_LIMIT = 60_000
SECTION = re.compile(r"^## \[(?P<name>[^\]]+)\]", re.MULTILINE)
USER_AGENT = "gov-service-template-gst-fleet"


def token() -> str | None:
    return os.environ.get("GH_TOKEN") or os.environ.get("GITHUB_TOKEN")


def repository_of(repo: Path) -> str:
    """owner/name from origin's URL as configured (https or ssh form)."""
    url = git(repo, "config", "--get", "remote.origin.url").strip()
    match = re.search(r"[/:](?P<owner>[^/:]+)/(?P<name>[^/]+?)(?:\.git)?/?$", url)
    if match is None:
        raise FleetError(f"origin's URL {url!r} does not name a GitHub repository")
    return f"{match['owner']}/{match['name']}"


# --- the body ---------------------------------------------------------------------------


def changelog_between(template: Path, from_version: str | None, to_version: str | None) -> str:
    """The template CHANGELOG's sections after from_version, up to to_version.

    A release not yet in the CHANGELOG (a tag ahead of it) takes the Unreleased section.
    """
    text = file_at(template, to_version, "CHANGELOG.md") if to_version else None
    text = text or ""
    low, high = version_of(from_version), version_of(to_version)
    starts = list(SECTION.finditer(text))
    named = {version_of(match["name"]) for match in starts}
    chosen = []
    for match, following in zip(starts, [*starts[1:], None], strict=True):
        version = version_of(match["name"])
        if version is None:
            wanted = match["name"] == "Unreleased" and high is not None and high not in named
        else:
            wanted = (low is None or version > low) and (high is None or version <= high)
        if wanted:
            chosen.append(text[match.start() : following.start() if following else len(text)])
    return "".join(chosen).strip()


def what_to_do(changelog: str) -> list[str]:
    """Every CHANGELOG bullet that tells a team what to do, as written."""
    bullets = re.split(r"\n(?=- )", changelog)
    return [bullet.strip() for bullet in bullets if "**What to do" in bullet]


def pull_request_body(result: UpdateResult, changelog: str) -> str:
    parts = [
        f"This updates the service from template release {result.from_version} to "
        f"{result.to_version}. Made by `gst-fleet update`; a later run replaces this "
        "branch while it has only the fleet's commits."
    ]
    if steps := what_to_do(changelog):
        parts += ["## What to do", "\n".join(steps)]
    attention = []
    if result.conflicts:
        attention.append("Conflicts to resolve (the `lint` gate fails until they are):")
        attention += [f"- `{path}`" for path in result.conflicts]
    if result.removed_edited:
        attention.append(
            "Removed by the template, but changed by your team: kept as you left them; see the "
            "CHANGELOG for what replaces them, then delete them:"
        )
        attention += [f"- `{path}`" for path in result.removed_edited]
    attention += [f"- moved: {note}" for note in result.carried]
    if result.removed:
        attention.append("Removed by the template:")
        attention += [f"- `{path}`" for path in result.removed]
    if attention:
        parts += ["## Needs your eyes", "\n".join(attention)]
    parts += ["## Tests", f"{result.outcome}: {result.detail}".strip()]
    if result.log:
        parts.append(f"```\n{result.log}\n```")
    if changelog:
        parts += ["## Changes in the template", changelog]
    body = "\n\n".join(parts)
    if len(body) > BODY_LIMIT:
        body = body[:BODY_LIMIT] + "\n\n… (cut: read the template's CHANGELOG for the rest)"
    return body


# --- GitHub -----------------------------------------------------------------------------


def call(method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    api = os.environ.get("GITHUB_API_URL", DEFAULT_API).rstrip("/")
    request = urllib.request.Request(  # noqa: S310 - the API's URL, https unless configured
        f"{api}{path}",
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {token()}",
            "User-Agent": USER_AGENT,
            "X-GitHub-Api-Version": "2022-11-28",
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return json.load(response)
    except urllib.error.HTTPError as error:
        raise FleetError(f"GitHub said {error.code} to {method} {path}: {error.reason}") from None
    except (urllib.error.URLError, TimeoutError) as error:
        raise FleetError(f"could not reach GitHub at {api}: {error}") from None


def open_or_update(
    repo: Path, *, head: str, base: str, result: UpdateResult, changelog: str
) -> str:
    """Open the pull request, or update the open one from the same branch; its address."""
    name = repository_of(repo)
    owner = name.split("/")[0]
    title = f"Update from the service template to {result.to_version}"
    body = pull_request_body(result, changelog)
    query = urllib.parse.urlencode({"head": f"{owner}:{head}", "state": "open"})
    existing = call("GET", f"/repos/{name}/pulls?{query}")
    if existing:
        number = existing[0]["number"]
        updated = call("PATCH", f"/repos/{name}/pulls/{number}", {"title": title, "body": body})
        return str(updated["html_url"])
    fields = {"title": title, "body": body, "head": head, "base": base}
    return str(call("POST", f"/repos/{name}/pulls", fields)["html_url"])
