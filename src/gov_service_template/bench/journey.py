"""The journey under gunicorn: a question page, an answer posted and check answers, each
with a journey in progress, beside bare Flask serving the same bytes (and doing the same
database write); then each worker's resident memory."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from .report import Figure, Report
from .running import PROGRAMS, Server, clean_env, gunicorn, load, package_of

Answers = dict[str, dict[str, str | list[str]]]

JOURNEY = "/apply"
QUESTION_PAGE = f"{JOURNEY}/email"
CHECK_ANSWERS = f"{JOURNEY}/check-your-answers"
ANSWER_POSTED = f"{JOURNEY}/name"
# Where a page with a form carries its CSRF token (the group is the token).
CSRF_TOKEN_PATTERN = r'name="csrf_token"[^>]*value="([^"]+)"'  # noqa: S105 (a pattern)
JOURNEY_USERS = 10


@dataclass(frozen=True)
class JourneyOptions:
    seconds: int  # each load
    workers: int  # gunicorn's, for both apps
    rounds: int  # each figure's loads, the service's and bare Flask's in turn


def journey_answers(project: Path) -> Answers:
    """What a user in the middle of the example journey answers, page by page: the
    examples its declaration gives (journeys/apply.py)."""
    walk = ["uv", "run", "--locked", "python", str(PROGRAMS / "example_walk.py")]
    result = subprocess.run(
        [*walk, package_of(project)],
        cwd=project,
        env=clean_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"the bench cannot walk the journey:\n{result.stderr}")
    answers: Answers = json.loads(result.stdout.strip().splitlines()[-1])
    return answers


def first_page(answers: Answers) -> str:
    return f"{JOURNEY}/{next(iter(answers))}"


def journey_settings(answers: Answers, folder: Path) -> Path:
    """The file the journey's load and profile programs read: what to answer, and which
    pages to measure."""
    settings = folder / "journey.json"
    settings.write_text(
        json.dumps(
            {
                "journey": JOURNEY,
                "first_page": first_page(answers),
                "question_page": QUESTION_PAGE,
                "answer_posted": ANSWER_POSTED,
                "check_answers": CHECK_ANSWERS,
                "csrf_token_pattern": CSRF_TOKEN_PATTERN,
                "answers": answers,
            },
            indent=2,
        )
    )
    return settings


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_: Any, **__: Any) -> None:
        return None


class JourneyClient:
    """A browser in the example journey, by hand: its cookies kept whatever their flags."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirects)

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, str, str]:
        """Status, Location and text of one request."""
        request = urllib.request.Request(f"{self.url}{path}", data=body, method=method)  # noqa: S310
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if body is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            response = self.opener.open(request, timeout=10)
        except urllib.error.HTTPError as error:  # a redirect, not followed
            response = error
        for cookie in response.headers.get_all("Set-Cookie") or []:
            key, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[key] = value
        return response.status, response.headers.get("Location", ""), response.read().decode()

    def answer_everything(self, answers: Answers) -> dict[str, str]:
        """Answer each question in turn; return where each answer sends the browser."""
        status, _, page = self.request("GET", first_page(answers))
        token = re.search(CSRF_TOKEN_PATTERN, page)
        if status != 200 or token is None:
            raise RuntimeError("the journey's first page did not answer with a form")
        following = {}
        for slug, answer in answers.items():
            body = urlencode({**answer, "csrf_token": token.group(1)}, doseq=True).encode()
            status, location, _ = self.request("POST", f"{JOURNEY}/{slug}", body)
            if status != 302:
                raise RuntimeError(f"answering {slug} gave {status}, not a redirect")
            following[slug] = location
        return following


def worker_memory(master: int) -> list[float]:
    """Resident memory of each of a gunicorn master's workers, in MB (from /proc)."""
    children = Path(f"/proc/{master}/task/{master}/children")
    if not children.exists():
        return []
    sizes = []
    for pid in children.read_text().split():
        status = Path(f"/proc/{pid}/status")
        lines = status.read_text().splitlines() if status.exists() else []
        sizes += [int(line.split()[1]) / 1024 for line in lines if line.startswith("VmRSS:")]
    return sizes


# figure: (locust user class, the page or answer, what its baseline is)
JOURNEY_PATHS = {
    "question page": ("QuestionPage", QUESTION_PAGE, "bare Flask, same bytes"),
    "answer posted": ("AnswerPost", ANSWER_POSTED, "bare Flask, same database write"),
    "check answers": ("CheckAnswers", CHECK_ANSWERS, "bare Flask, same bytes"),
}


def load_rounds(
    servers: Mapping[str, Server], seconds: int, rounds: int, work: Path, journey: Path
) -> dict[str, dict[str, list[dict[str, float]]]]:
    """Each figure's load, on each server in turn, `rounds` times: the machine's noise
    then falls on both sides of a ratio alike, and a round it slows shows as an outlier."""
    settings = {"BENCH_JOURNEY": str(journey)}
    measured: dict[str, dict[str, list[dict[str, float]]]] = {name: {} for name in servers}
    for figure, (user_class, _path, _baseline) in JOURNEY_PATHS.items():
        for number in range(rounds):
            for name, server in servers.items():
                figures = load(
                    server.url, seconds, JOURNEY_USERS, work, f"{name}-{user_class}-{number}",
                    locustfile="journey_load.py", user_class=user_class, row="measured",
                    env=settings,
                )  # fmt: skip
                measured[name].setdefault(figure, []).append(figures)
    return measured


def round_ratios(ours: list[dict[str, float]], theirs: list[dict[str, float]]) -> list[float]:
    return [
        a["requests_per_second"] / b["requests_per_second"]
        for a, b in zip(ours, theirs, strict=True)
    ]


def median_round(ours: list[dict[str, float]], theirs: list[dict[str, float]]) -> int:
    """The round whose ratio is the median of the rounds' (the lower middle one)."""
    ratios = round_ratios(ours, theirs)
    by_ratio = sorted(range(len(ratios)), key=ratios.__getitem__)
    return by_ratio[(len(ratios) - 1) // 2]


def bench_journey(
    report: Report,
    work: Path,
    project: Path,
    env: Mapping[str, str],
    options: JourneyOptions,
) -> None:
    """A question page, an answer posted and check answers, each with a journey in
    progress, beside bare Flask (round by round); then each gunicorn worker's memory."""
    answers = journey_answers(project)
    journey = journey_settings(answers, work)
    service_app = f"{package_of(project)}:create_app()"
    with gunicorn(project, service_app, options.workers, env) as service:
        browser = JourneyClient(service.url)
        following = browser.answer_everything(answers)
        pages = {path: browser.request("GET", path)[2] for path in (QUESTION_PAGE, CHECK_ANSWERS)}
        bare = work / "bare-journey"
        bare.mkdir(exist_ok=True)
        shutil.copy(PROGRAMS / "bare_journey.py", bare)
        # The first page only has to carry a form token for the users' set-up.
        first = {first_page(answers): pages[QUESTION_PAGE]}
        (bare / "pages.json").write_text(json.dumps(first | pages))
        (bare / "next.json").write_text(json.dumps(following))
        database = env["DATABASE_URL"].removeprefix("sqlite:///")
        bare_env = {**env, "PYTHONPATH": str(bare), "BARE_DATABASE": database}
        with gunicorn(project, "bare_journey:create_app()", options.workers, bare_env) as baseline:
            servers = {"service": service, "bare Flask": baseline}
            measured = load_rounds(servers, options.seconds, options.rounds, work, journey)
            memory = worker_memory(service.pid)
            bare_memory = worker_memory(baseline.pid)
    report.details["journey"] = {
        **measured,
        "worker memory (MB)": {"service": memory, "bare Flask": bare_memory},
        "locust users": JOURNEY_USERS,
        "seconds each": options.seconds,
        "rounds": options.rounds,
    }
    for figure, (_user_class, path, baseline_name) in JOURNEY_PATHS.items():
        rounds = measured["service"][figure], measured["bare Flask"][figure]
        chosen = median_round(*rounds)
        ours, theirs = rounds[0][chosen], rounds[1][chosen]
        ratios = ", ".join(f"{ratio:.2f}" for ratio in round_ratios(*rounds))
        report.add(
            Figure(
                figure,
                ours["requests_per_second"],
                "req/s",
                theirs["requests_per_second"],
                baseline_name,
                f"{path}; median of {len(rounds[0])} rounds' ratios ({ratios}); "
                f"p50/p99 {ours['p50_ms']:.0f}/{ours['p99_ms']:.0f} ms; "
                f"bare {theirs['p50_ms']:.0f}/{theirs['p99_ms']:.0f} ms",
            )
        )
        report.add(
            Figure(
                f"{figure}, p99",
                ours["p99_ms"],
                "ms",
                theirs["p99_ms"],
                "bare Flask",
                f"{JOURNEY_USERS} users; the median round's",
            )
        )
    if memory:
        report.add(
            Figure(
                "worker memory",
                max(memory),
                "MB",
                max(bare_memory) if bare_memory else None,
                "bare Flask worker",
                f"resident after the journey's load; largest of {len(memory)} worker(s)",
            )
        )
    else:
        report.missing("worker memory", "gunicorn's workers could not be read from /proc")
