"""Benchmarks for the template, each figure beside a baseline measured in the same run.

    uvx nox -s bench [-- --runs N --seconds S --workers W --profile]
    uvx nox -s bench -- --only fleet --fleet-sizes 10,40 --fleet-jobs 1,2 [--fleet-every-pair]

Machines are noisy and absolute times drift, so each figure is reported with a baseline
measured moments before or after it, and the ratio between them:

    generation     `copier copy` of this template vs an empty template (copier's floor)
    first green    copy, `uv sync` (warm cache) and the unit tests; then e2e with axe
    throughput     the service under gunicorn vs a bare Flask app serving the same start
                   page from a string, same workers, load from locust in a second process
    page weight    bytes a first visit to the start page transfers, and cache headers
    update         `copier update` from the previous release vs an empty template's update
    fleet          `gst-fleet status`, `drift` and `update` over fleets of services, in
                   seconds per service, each larger fleet beside the smallest (growth)

Sections run with `--only` or are left out with `--skip`: generation, service (first
green, throughput and page weight share one rendered service), update and fleet.
Targets are reported, not enforced: a miss is a reason to profile (`--profile`).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from rich.console import Console
from rich.table import Table

from .environment import git_identity, rendered_project_env
from .releases import ROOT, TemplateClone, clone_template
from .releases import git as git_output

COPIER = [sys.executable, "-m", "copier"]
# A new service's own set-up (uv.lock, first commit), as its first nox session runs it.
SET_UP = [sys.executable, "-m", "nox", "-s", "setup"]
GIT_IDENTITY = git_identity("Bench", "bench@example.gov.uk")
UUID = "00000000-0000-4000-8000-000000000000"
# The service as production runs it. Notify's key has the right shape and is never used:
# the start page sends no email.
PRODUCTION = {
    "APP_ENV": "production",
    "SECRET_KEY": "bench-" + "0123456789abcdef" * 4,
    "NOTIFY_API_KEY": f"bench-{UUID}-{UUID}",
    "NOTIFY_CONFIRMATION_TEMPLATE_ID": UUID,
    "LOG_LEVEL": "WARNING",
}
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
KB = 1000
console = Console(stderr=True)


@dataclass(frozen=True)
class Target:
    text: str
    met: Callable[[Figure], bool]


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None


def _ratio_at_most(limit: float) -> Callable[[Figure], bool]:
    return lambda figure: figure.ratio is not None and figure.ratio <= limit


def _ratio_at_least(limit: float) -> Callable[[Figure], bool]:
    return lambda figure: figure.ratio is not None and figure.ratio >= limit


def _below(limit: float) -> Callable[[Figure], bool]:
    return lambda figure: figure.value < limit


FLEET_STATUS_100 = "fleet status, 100 services (extrapolated)"
FLEET_UPDATE_PER_CORE = "fleet update, core-seconds per service"

TARGETS = {
    "generation": Target("≤ 1.5 times copier's floor", _ratio_at_most(1.5)),
    "first green, unit tests": Target("< 20 s", _below(20)),
    "first green, with e2e": Target("< 60 s", _below(60)),
    "throughput": Target("≥ 50% of bare Flask", _ratio_at_least(0.5)),
    "question page": Target("≥ 40% of bare Flask", _ratio_at_least(0.4)),
    "answer posted": Target("≥ 40% of bare Flask doing the write", _ratio_at_least(0.4)),
    "question page, p99": Target("< 25 ms", _below(25)),
    "answer posted, p99": Target("< 25 ms", _below(25)),
    "check answers, p99": Target("< 25 ms", _below(25)),
    "worker memory": Target("< 80 MB resident", _below(80)),
    "start page weight": Target("< 150 KB on the wire", _below(150)),
    FLEET_STATUS_100: Target("< 10 s", _below(10)),
    FLEET_UPDATE_PER_CORE: Target("< 3 s per service per core", _below(3)),
}


@dataclass(frozen=True)
class Unavailable:
    """A figure that could not be measured in this run, and why."""

    name: str
    reason: str


@dataclass
class Report:
    machine: dict[str, Any] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    unavailable: list[Unavailable] = field(default_factory=list)

    def add(self, figure: Figure) -> None:
        self.figures.append(figure)
        console.print(f"  {figure.name}: {figure.value:.3g} {figure.unit}")

    def missing(self, name: str, reason: str) -> None:
        self.unavailable.append(Unavailable(name, reason))
        console.print(f"  {name}: unavailable ({reason})")

    def as_json(self) -> dict[str, Any]:
        figures = []
        for figure in self.figures:
            target = TARGETS.get(figure.name)
            figures.append(
                asdict(figure)
                | {
                    "ratio": figure.ratio,
                    "target": target.text if target else None,
                    "target_met": target.met(figure) if target else None,
                }
            )
        return {
            "machine": self.machine,
            "figures": figures,
            "unavailable": [asdict(missing) for missing in self.unavailable],
            "details": self.details,
        }

    def table(self) -> Table:
        table = Table(title="Gov Service Template benchmarks")
        for column in ("figure", "value", "baseline", "ratio", "target", "met", "note"):
            table.add_column(column)
        for figure in self.figures:
            target = TARGETS.get(figure.name)
            baseline = (
                f"{figure.baseline:.3g} {figure.unit} ({figure.baseline_name})"
                if figure.baseline
                else ""
            )
            table.add_row(
                figure.name,
                f"{figure.value:.3g} {figure.unit}",
                baseline,
                f"{figure.ratio:.2f}" if figure.ratio is not None else "",
                target.text if target else "",
                ("yes" if target.met(figure) else "NO") if target else "",
                figure.note,
            )
        for missing in self.unavailable:
            target = TARGETS.get(missing.name)
            text = target.text if target else ""
            table.add_row(missing.name, "unavailable", "", "", text, "", missing.reason)
        return table


# --- running things -------------------------------------------------------------------


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without its virtualenv, so `uv run` finds the project's."""
    return rendered_project_env(GIT_IDENTITY, **extra)


def run(command: Sequence[str | Path], cwd: Path, **env: str) -> float:
    """Run a command that must succeed; return its wall time in seconds."""
    started = time.perf_counter()
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        command_line = " ".join(map(str, command))
        raise RuntimeError(f"{command_line} failed in {cwd}:\n{result.stdout}\n{result.stderr}")
    return elapsed


def git(repo: Path, *args: str) -> None:
    run(["git", *args], repo)


def median_of(runs: int, once: Callable[[int], float]) -> float:
    return statistics.median(once(index) for index in range(runs))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def copy_command(source: Path, destination: Path, *extra: str) -> list[str | Path]:
    # No --trust: the template needs none to copy (decision 9).
    return [*COPIER, "copy", "--quiet", "--defaults", *extra, source, destination]


def update_command(*extra: str) -> list[str | Path]:
    return [*COPIER, "update", "--quiet", "--defaults", "--trust", *extra]


# --- generation -------------------------------------------------------------------------


def make_empty_template(folder: Path) -> Path:
    """The smallest template Copier will copy and update: its start-up and git, nothing else."""
    template = folder / "empty-template"
    (template / "template").mkdir(parents=True)
    (template / "copier.yml").write_text("_subdirectory: template\nname:\n  default: x\n")
    (template / "template" / "{{_copier_conf.answers_file}}.jinja").write_text(
        "{{ _copier_answers|to_nice_yaml -}}\n"
    )
    readme = template / "template" / "README.md"
    git(template, "init", "--quiet")
    for release in ("v1.0.0", "v1.0.1"):
        readme.write_text(f"{release}\n")
        git(template, "add", "--all")
        git(template, "commit", "--quiet", "-m", f"Release {release}")
        git(template, "tag", release)
    return template


def bench_generation(report: Report, work: Path, template: Path, empty: Path, runs: int) -> None:
    def copy(source: Path, name: str, *extra: str) -> Callable[[int], float]:
        return lambda index: run(copy_command(source, work / f"{name}-{index}", *extra), work)

    def copy_and_set_up(index: int) -> float:
        project = work / f"set-up-{index}"
        return copy(template, "set-up")(index) + run(SET_UP, project)

    floor = median_of(runs, copy(empty, "empty"))
    ours = median_of(runs, copy(template, "ours"))
    with_set_up = median_of(max(1, runs // 2), copy_and_set_up)
    report.details["generation (s)"] = {
        "empty template": floor,
        "this template": ours,
        "this template, then its set-up": with_set_up,
        "runs": runs,
    }
    report.add(Figure("generation", ours, "s", floor, "empty template", f"median of {runs}"))
    report.add(
        Figure(
            "generation with set-up",
            with_set_up,
            "s",
            floor,
            "empty template",
            "plus `nox -s setup`: uv lock (warm cache), git init and first commit",
        )
    )


# --- time to first green ----------------------------------------------------------------


def bench_first_green(report: Report, work: Path, template: Path) -> Path:
    project = work / "first-green"
    stages: dict[str, Callable[[], float]] = {
        "copier copy": lambda: run(copy_command(template, project), work),
        "set-up": lambda: run(SET_UP, project),
        "uv sync": lambda: run(["uv", "sync", "--locked"], project),
        "unit tests": lambda: run(
            ["uv", "run", "--locked", "pytest", "tests/unit", "--numprocesses=auto"], project
        ),
        "e2e tests with axe": lambda: run(
            ["uv", "run", "--locked", "pytest", "tests/e2e", "--numprocesses=auto"], project
        ),
    }
    timings = {stage: measure() for stage, measure in stages.items()}
    report.details["first green stages (s)"] = timings
    for stage, seconds in timings.items():
        console.print(f"    {stage}: {seconds:.1f} s")
    unit = sum(list(timings.values())[:4])
    stages_text = ", ".join(f"{stage} {seconds:.1f}" for stage, seconds in timings.items())
    note = "copy + set-up + uv sync + unit tests"
    report.add(Figure("first green, unit tests", unit, "s", note=note))
    report.add(Figure("first green, with e2e", sum(timings.values()), "s", note=stages_text))
    return project


# --- the service under gunicorn ---------------------------------------------------------

BARE_FLASK = '''\
"""The baseline: Flask returning the service's start page from a string."""

from pathlib import Path

from flask import Flask

PAGE = Path(__file__).with_name("start.html").read_text()


def create_app() -> Flask:
    app = Flask(__name__)

    @app.get("/")
    def start() -> str:
        return PAGE

    return app
'''

LOCUSTFILE = """\
from locust import FastHttpUser, task


class StartPage(FastHttpUser):
    @task
    def start_page(self) -> None:
        self.client.get("/")
"""


def package_of(project: Path) -> str:
    return next(path.name for path in (project / "src").iterdir() if path.is_dir())


@dataclass(frozen=True)
class Server:
    url: str
    pid: int  # gunicorn's master process


@contextmanager
def gunicorn(project: Path, app: str, workers: int, env: Mapping[str, str]) -> Iterator[Server]:
    """Gunicorn with the service's own config file; yield it once it answers."""
    port = free_port()
    command = [
        project / ".venv" / "bin" / "gunicorn",
        "--config",
        project / "gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        app,
    ]
    process = subprocess.Popen(
        [str(part) for part in command],
        cwd=project,
        env=clean_env(**env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url, process)
        yield Server(url, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_for(url: str, process: subprocess.Popen[str], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            errors = process.stderr.read() if process.stderr else ""
            raise RuntimeError(f"gunicorn stopped before answering:\n{errors}")
        try:
            fetch(f"{url}/")
        except OSError:
            time.sleep(0.2)
        else:
            return
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
        return str(response.read().decode())


def load(
    url: str,
    seconds: int,
    users: int,
    work: Path,
    name: str,
    *,
    locustfile_text: str = LOCUSTFILE,
    user_class: str = "StartPage",
    row: str = "Aggregated",
) -> dict[str, float]:
    """Load a page from a second process (locust, headless) for a bounded time; the
    figures are those of the stats row named `row` (every request, by default)."""
    locustfile = work / f"locustfile_{name}.py"
    locustfile.write_text(locustfile_text)
    prefix = work / name
    command: list[str | Path] = [sys.executable, "-m", "locust", "--headless"]
    command += ["--locustfile", locustfile, user_class]
    command += ["--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s"]
    command += ["--host", url, "--csv", prefix, "--only-summary", "--loglevel", "WARNING"]
    run(command, work)
    with Path(f"{prefix}_stats.csv").open(newline="") as stats:
        rows = list(csv.DictReader(stats))
    total = next(line for line in rows if line["Name"] == row)
    failures = sum(int(line["Failure Count"]) for line in rows if line["Name"] == "Aggregated")
    if failures:
        raise RuntimeError(f"{name}: {failures} requests failed under load")
    return {
        "requests": float(total["Request Count"]),
        "requests_per_second": float(total["Requests/s"]),
        "p50_ms": float(total["50%"]),
        "p99_ms": float(total["99%"]),
    }


def prepare_database(project: Path) -> dict[str, str]:
    """The production settings, with a migrated SQLite database of the service's own."""
    env = PRODUCTION | {"DATABASE_URL": f"sqlite:///{project / 'instance' / 'bench.sqlite3'}"}
    (project / "instance").mkdir(exist_ok=True)
    upgrade = ["uv", "run", "--locked", "flask", "--app", package_of(project), "db", "upgrade"]
    run(upgrade, project, **env)
    return env


def bench_throughput(
    report: Report, work: Path, project: Path, env: Mapping[str, str], seconds: int, workers: int
) -> None:
    users = 10
    with gunicorn(project, f"{package_of(project)}:create_app()", workers, env) as server:
        page = fetch(f"{server.url}/")
        service = load(server.url, seconds, users, work, "service")
    bare = work / "bare"
    bare.mkdir(exist_ok=True)
    (bare / "bare_app.py").write_text(BARE_FLASK)
    (bare / "start.html").write_text(page)
    bare_env = {**env, "PYTHONPATH": str(bare)}
    with gunicorn(project, "bare_app:create_app()", workers, bare_env) as server:
        if fetch(f"{server.url}/") != page:
            raise RuntimeError("the bare Flask app must serve the service's start page")
        baseline = load(server.url, seconds, users, work, "bare")
    report.details["throughput"] = {
        "service": service,
        "bare Flask": baseline,
        "gunicorn workers": workers,
        "locust users": users,
        "seconds each": seconds,
    }
    report.add(
        Figure(
            "throughput",
            service["requests_per_second"],
            "req/s",
            baseline["requests_per_second"],
            "bare Flask",
            f"p50/p99 {service['p50_ms']:.0f}/{service['p99_ms']:.0f} ms; "
            f"bare {baseline['p50_ms']:.0f}/{baseline['p99_ms']:.0f} ms",
        )
    )


# --- the journey under gunicorn -----------------------------------------------------------

Answers = dict[str, dict[str, str | list[str]]]


# Prints the first journey's example walk, from the service's own declaration.
EXAMPLE_WALK = """
import json
from {package}.journey_engine.walk import walk
from {package}.journeys import JOURNEYS
print(json.dumps({{v.page.slug: v.data for v in walk(JOURNEYS[0]) if v.data is not None}}))
"""


def journey_answers(project: Path) -> Answers:
    """What a user in the middle of the example journey answers, page by page: the
    examples its declaration gives (journeys/apply.py), so the bench follows the journey
    as the template changes it."""
    result = subprocess.run(
        ["uv", "run", "--locked", "python", "-c", EXAMPLE_WALK.format(package=package_of(project))],
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


QUESTION_PAGE = "/apply/email"
CHECK_ANSWERS = "/apply/check-your-answers"
ANSWER_POSTED = "/apply/name"
# Where a page with a form carries its CSRF token (the group is the token).
CSRF_TOKEN_PATTERN = r'name="csrf_token"[^>]*value="([^"]+)"'  # noqa: S105 (a pattern)

# Each user answers every question once (requests named "setup"), then repeats one
# request (named "measured", the only row the figures read). Cookies are kept by hand:
# production settings mark them Secure, and the load runs over plain HTTP on 127.0.0.1.
# journey_locustfile() puts the constants it uses (ANSWERS_JSON and the rest) above it.
JOURNEY_LOCUSTFILE = """\
import json
import re
from urllib.parse import urlencode

from locust import FastHttpUser, task

ANSWERS = json.loads(ANSWERS_JSON)
TOKEN = re.compile(CSRF_TOKEN_PATTERN)


class Journey(FastHttpUser):
    abstract = True

    def on_start(self):
        self.cookies = {}
        page = self.send("GET", "/apply/name", "setup", 200)
        self.token = TOKEN.search(page).group(1)
        for slug, answer in ANSWERS.items():
            self.post(f"/apply/{slug}", answer, "setup")

    def send(self, method, path, name, status, body=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        with self.client.request(
            method, path, data=body, headers=headers, name=name,
            allow_redirects=False, catch_response=True,
        ) as response:
            if response.status_code != status:
                response.failure(f"{method} {path}: {response.status_code}")
            cookie = response.headers.get("Set-Cookie")
            if cookie:
                key, _, value = cookie.split(";", 1)[0].partition("=")
                self.cookies[key] = value
            return response.text or ""

    def post(self, path, answer, name):
        body = urlencode({**answer, "csrf_token": self.token}, doseq=True)
        return self.send("POST", path, name, 302, body)


class QuestionPage(Journey):
    @task
    def question_page(self):
        self.send("GET", QUESTION_PAGE, "measured", 200)


class AnswerPost(Journey):
    @task
    def answer(self):
        self.post(ANSWER_POSTED, ANSWERS[ANSWER_POSTED.rsplit("/", 1)[1]], "measured")


class CheckAnswers(Journey):
    @task
    def check_answers(self):
        self.send("GET", CHECK_ANSWERS, "measured", 200)
"""


def journey_locustfile(answers: Answers) -> str:
    constants = {
        "ANSWERS_JSON": json.dumps(answers),
        "CSRF_TOKEN_PATTERN": CSRF_TOKEN_PATTERN,
        "QUESTION_PAGE": QUESTION_PAGE,
        "ANSWER_POSTED": ANSWER_POSTED,
        "CHECK_ANSWERS": CHECK_ANSWERS,
    }
    header = "".join(f"{name} = {value!r}\n" for name, value in constants.items())
    return header + JOURNEY_LOCUSTFILE


# The journey's baseline: Flask serving the same bytes for each page and, for an answer,
# the service's database write (the answers as JSON into its SQLite file, same pragmas)
# before the same redirect.
BARE_JOURNEY = '''\
"""The journey's baseline: the same pages from strings, the same write for each answer."""

import json
import os
import sqlite3
import time
from pathlib import Path

from flask import Flask, redirect, request

PAGES = json.loads(Path(__file__).with_name("pages.json").read_text())
NEXT = json.loads(Path(__file__).with_name("next.json").read_text())


def create_app() -> Flask:
    app = Flask(__name__)
    database = sqlite3.connect(os.environ["BARE_DATABASE"], isolation_level=None)
    database.execute("PRAGMA journal_mode = WAL")
    database.execute("PRAGMA synchronous = NORMAL")

    @app.get("/")
    def ready() -> str:  # what the bench waits for
        return "ready"

    @app.get("/<path:path>")
    def page(path: str) -> str:
        return PAGES["/" + path]

    @app.post("/apply/<slug>")
    def answer(slug: str):
        answers = json.dumps({slug: request.form.to_dict(flat=False)})
        database.execute(
            "INSERT INTO journey_state (id, answers, touched_at) VALUES (?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET answers = excluded.answers, "
            "touched_at = excluded.touched_at",
            (request.cookies.get("bench", "bench"), answers, time.time()),
        )
        return redirect(NEXT[slug])

    return app
'''


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
        status, _, page = self.request("GET", "/apply/name")
        token = re.search(CSRF_TOKEN_PATTERN, page)
        if status != 200 or token is None:
            raise RuntimeError("the journey's first page did not answer with a form")
        following = {}
        for slug, answer in answers.items():
            body = urlencode({**answer, "csrf_token": token.group(1)}, doseq=True).encode()
            status, location, _ = self.request("POST", f"/apply/{slug}", body)
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


def load_journey(
    server: Server, seconds: int, work: Path, prefix: str, answers: Answers
) -> dict[str, Any]:
    return {
        figure: load(
            server.url, seconds, JOURNEY_USERS, work, f"{prefix}-{user_class}",
            locustfile_text=journey_locustfile(answers), user_class=user_class, row="measured",
        )
        for figure, (user_class, _path, _baseline) in JOURNEY_PATHS.items()
    }  # fmt: skip


JOURNEY_USERS = 10


def bench_journey(
    report: Report, work: Path, project: Path, env: Mapping[str, str], seconds: int, workers: int
) -> None:
    """A question page, an answer posted and check answers, each with a journey in
    progress, beside bare Flask; then each gunicorn worker's resident memory."""
    answers = journey_answers(project)
    with gunicorn(project, f"{package_of(project)}:create_app()", workers, env) as server:
        browser = JourneyClient(server.url)
        following = browser.answer_everything(answers)
        pages = {path: browser.request("GET", path)[2] for path in (QUESTION_PAGE, CHECK_ANSWERS)}
        measured = load_journey(server, seconds, work, "service", answers)
        memory = worker_memory(server.pid)
    bare = work / "bare-journey"
    bare.mkdir(exist_ok=True)
    (bare / "bare_journey.py").write_text(BARE_JOURNEY)
    # The first page only has to carry a form token for the users' set-up.
    (bare / "pages.json").write_text(json.dumps({"/apply/name": pages[QUESTION_PAGE], **pages}))
    (bare / "next.json").write_text(json.dumps(following))
    database = env["DATABASE_URL"].removeprefix("sqlite:///")
    bare_env = {**env, "PYTHONPATH": str(bare), "BARE_DATABASE": database}
    with gunicorn(project, "bare_journey:create_app()", workers, bare_env) as server:
        baselines = load_journey(server, seconds, work, "bare", answers)
        bare_memory = worker_memory(server.pid)
    report.details["journey"] = {
        "service": measured,
        "bare Flask": baselines,
        "worker memory (MB)": {"service": memory, "bare Flask": bare_memory},
        "locust users": JOURNEY_USERS,
        "seconds each": seconds,
    }
    for figure, (_user_class, path, baseline_name) in JOURNEY_PATHS.items():
        ours, theirs = measured[figure], baselines[figure]
        report.add(
            Figure(
                figure,
                ours["requests_per_second"],
                "req/s",
                theirs["requests_per_second"],
                baseline_name,
                f"{path}; p50/p99 {ours['p50_ms']:.0f}/{ours['p99_ms']:.0f} ms; "
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
                f"{JOURNEY_USERS} users",
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


# --- page weight --------------------------------------------------------------------------


def chromium_executable(playwright: Any) -> str:
    """Playwright's own Chromium when installed; otherwise the system's (Debian's package)."""
    configured = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH")
    if configured:
        return configured
    own = Path(playwright.chromium.executable_path)
    return str(own) if own.exists() else "/usr/bin/chromium"


def first_visit(url: str) -> list[dict[str, Any]]:
    """Every response a fresh browser receives loading the page, with its size on the wire."""
    from playwright.sync_api import sync_playwright

    transfers: list[dict[str, Any]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable(playwright), args=CHROMIUM_FLAGS
        )
        page = browser.new_page()

        def record(request: Any) -> None:
            response = request.response()
            sizes = request.sizes()
            transfers.append(
                {
                    "url": request.url.removeprefix(url),
                    "type": request.resource_type,
                    "bytes": sizes["responseBodySize"] + sizes["responseHeadersSize"],
                    "content-encoding": response.headers.get("content-encoding", ""),
                    "cache-control": response.headers.get("cache-control", ""),
                }
            )

        page.on("requestfinished", record)
        page.goto(f"{url}/", wait_until="networkidle")
        browser.close()
    return transfers


def bench_page_weight(report: Report, project: Path, env: Mapping[str, str], workers: int) -> None:
    with gunicorn(project, f"{package_of(project)}:create_app()", workers, env) as server:
        transfers = first_visit(server.url)
    assets = [transfer for transfer in transfers if transfer["url"].startswith("/assets/")]
    immutable = [asset for asset in assets if "immutable" in asset["cache-control"]]
    compressible = [asset for asset in assets if asset["type"] in ("stylesheet", "script")]
    compressed = [asset for asset in compressible if asset["content-encoding"]]
    total = sum(transfer["bytes"] for transfer in transfers) / KB
    report.details["start page first visit"] = transfers
    report.add(
        Figure(
            "start page weight",
            total,
            "KB",
            note=(
                f"{len(transfers)} responses; {len(immutable)}/{len(assets)} assets immutable, "
                f"{len(compressed)}/{len(compressible)} CSS/JS compressed"
            ),
        )
    )


# --- update -------------------------------------------------------------------------------


def bench_update(report: Report, work: Path, template: Path, previous: str, empty: Path) -> None:
    def updated(source: Path, name: str, ref: str) -> float:
        project = work / f"update-{name}"
        run(copy_command(source, project, "--vcs-ref", ref), work)
        if not (project / ".git").exists():
            git(project, "init", "--quiet")
            git(project, "add", "--all")
            git(project, "commit", "--quiet", "-m", "Generated")
        return run(update_command(), project)

    floor = updated(empty, "empty", "v1.0.0")
    ours = updated(template, "ours", previous)
    report.add(
        Figure("update", ours, "s", floor, "empty template", f"copier update from {previous}")
    )


# --- fleet --------------------------------------------------------------------------------

FLEET = [sys.executable, "-m", "gov_service_template.fleet"]
# Each command as the bench times it; `update` with a test command that does nothing, so
# the figure is the fleet's own work (branch, copier update, re-lock, commit, switch back).
FLEET_COMMANDS = {
    "status": ["status"],
    "drift": ["drift"],
    "update": ["update", "--test-command", "true"],
}
FLEET_BRANCH = "main"
UPDATE_BRANCHES = "template-update*"  # template-update, or template-update/<tag>
# `update` is by far the costliest command (a `copier update` a service, three renders of the
# template), so by default it runs on the smallest fleet only, at every jobs; its growth
# with the fleet (linear in every run so far) needs --fleet-every-pair.
GROWTH_WITH_EVERY_PAIR_ONLY = frozenset({"update"})


class FleetCommandError(RuntimeError):
    """A fleet command did not do what the bench times: its figures are unavailable."""


@dataclass(frozen=True)
class FleetRun:
    command: str
    size: int
    jobs: int
    seconds: float

    @property
    def per_service(self) -> float:
        return self.seconds / self.size

    @property
    def name(self) -> str:
        return f"fleet {self.command}, {service_count(self.size)}, jobs {self.jobs}"


def service_count(count: int) -> str:
    return f"{count} service" if count == 1 else f"{count} services"


def lock(project: Path) -> None:
    """uv.lock, as every service commits one: from uv's cache when warm, else the index."""
    try:
        run(["uv", "lock", "--quiet", "--offline"], project)
    except RuntimeError:
        run(["uv", "lock", "--quiet"], project)


def render_service(template: Path, ref: str, project: Path) -> None:
    """A service at ref, locked and committed as a team's repository is, tasks skipped."""
    answers = {"service_name": "Apply for a fleet permit", "service_slug": project.name}
    data = [f"--data={question}={answer}" for question, answer in answers.items()]
    run(copy_command(template, project, "--skip-tasks", "--vcs-ref", ref, *data), project.parent)
    lock(project)
    git(project, "init", "--quiet", f"--initial-branch={FLEET_BRANCH}")
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "-m", "Generated")


def render_fleet(folder: Path, template: Path, ref: str, size: int) -> list[Path]:
    """size services at ref; smaller fleets are its first ones.

    One service is rendered and the others are copies of its repository, each with its own
    work tree and history: what gst-fleet does to a service does not depend on its answers,
    and rendering forty would take a minute of the bench's ten."""
    folder.mkdir(parents=True, exist_ok=True)
    services = [folder / f"svc-{number:03}" for number in range(1, size + 1)]
    render_service(template, ref, services[0])
    for service in services[1:]:
        shutil.copytree(services[0], service, symlinks=True)
    return services


def reset_services(services: Sequence[Path]) -> None:
    """Back to the rendered commit with no update branches, so every update run does the
    same work."""
    for project in services:
        git(project, "switch", "--quiet", "--force", FLEET_BRANCH)
        git(project, "clean", "--quiet", "-fdx")
        if branches := update_branches(project):
            git(project, "branch", "--quiet", "-D", *branches)


def update_branches(project: Path) -> list[str]:
    listing = ["branch", "--list", UPDATE_BRANCHES, "--format=%(refname:short)"]
    return git_output(project, *listing, env=clean_env()).split()


def fleet_services(output: str) -> list[dict[str, Any]]:
    """The services of a command's --json output: the versioned envelope, or a bare list."""
    document = json.loads(output)
    services = document["services"] if isinstance(document, dict) else document
    return list(services)


def fleet_problem(command: str, result: subprocess.CompletedProcess[str], size: int) -> str:
    """Why a fleet command's run cannot be timed as the bench means it, or "" if it can."""
    lines = (result.stderr or result.stdout).strip().splitlines()
    failure = f"exit status {result.returncode}: {lines[-1] if lines else 'no output'}"
    try:
        services = fleet_services(result.stdout)
    except (ValueError, KeyError, TypeError):
        return failure
    if len(services) != size:
        return f"reported {len(services)} services of {size}; {failure}"
    for service in services:
        error = service.get("error")
        if command == "update" and service.get("outcome") != "updated":
            error = f"{service.get('outcome')}: {service.get('detail')}"
        if error:
            return f"{service.get('service')}: {error}"
    return ""


def time_fleet_command(command: str, services: Sequence[Path], jobs: int, cwd: Path) -> float:
    """Wall time of one fleet command over the services, Python's start-up included."""
    arguments = [*FLEET, *FLEET_COMMANDS[command], "--jobs", str(jobs), "--json", *services]
    started = time.perf_counter()
    result = subprocess.run(
        [str(argument) for argument in arguments],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if problem := fleet_problem(command, result, len(services)):
        raise FleetCommandError(problem)
    return seconds


def fleet_pairs(
    sizes: Sequence[int], jobs: Sequence[int], every_pair: bool = False, growth: bool = True
) -> list[tuple[int, int]]:
    """(size, jobs) to time: the smallest size at every jobs, for the speed-up, and every
    size at the most jobs, for the growth (unless growth is False); or every pair. The
    largest fleet at one job is the slowest run and tells least."""
    smallest, most = min(sizes), max(jobs)
    pairs = [(size, job_count) for size in sorted(sizes) for job_count in sorted(jobs)]
    return [
        pair for pair in pairs if every_pair or pair[0] == smallest or (growth and pair[1] == most)
    ]


def time_fleet_runs(
    command: str, services: Sequence[Path], pairs: Sequence[tuple[int, int]], cwd: Path
) -> list[FleetRun]:
    runs = []
    for size, job_count in pairs:
        if command == "update":
            reset_services(services)
        seconds = time_fleet_command(command, services[:size], job_count, cwd)
        timed = FleetRun(command, size, job_count, seconds)
        runs.append(timed)
        console.print(f"    {timed.name}: {seconds:.1f} s")
    return runs


def fleet_run(runs: Sequence[FleetRun], size: int, jobs: int) -> FleetRun | None:
    return next((timed for timed in runs if timed.size == size and timed.jobs == jobs), None)


def fleet_figure(runs: Sequence[FleetRun], timed: FleetRun) -> Figure:
    """Seconds per service; beside the smallest fleet's at the same jobs, so the ratio is
    how the cost per service grows with the fleet (1.0: linear)."""
    smallest = min(each.size for each in runs)
    fewest_jobs = min(each.jobs for each in runs)
    notes = [f"{service_count(timed.size)} in {timed.seconds:.1f} s"]
    serial = fleet_run(runs, timed.size, fewest_jobs)
    if serial and serial != timed:
        notes.append(f"{serial.seconds / timed.seconds:.2f} times as fast as jobs {fewest_jobs}")
    figure = Figure(timed.name, timed.per_service, "s/service")
    growth_baseline = fleet_run(runs, smallest, timed.jobs)
    if timed.size == smallest:
        if any(each.size > smallest for each in runs):
            notes.append("the smallest fleet: the baseline for growth")
    elif growth_baseline:
        figure.baseline = growth_baseline.per_service
        figure.baseline_name = f"per service at {smallest}"
    figure.note = "; ".join(notes)
    return figure


def largest_run(runs: Sequence[FleetRun]) -> FleetRun:
    """The run the targets are judged on: the largest fleet at the most jobs."""
    return max(runs, key=lambda timed: (timed.size, timed.jobs))


def status_of_100(runs: Sequence[FleetRun]) -> Figure:
    basis = largest_run(runs)
    return Figure(
        FLEET_STATUS_100,
        basis.per_service * 100,
        "s",
        note=(
            f"extrapolated linearly, not measured: 100 services * {basis.per_service:.3g} "
            f"s/service, from the {basis.size}-service run at jobs {basis.jobs}"
        ),
    )


def cores() -> int:
    return os.cpu_count() or 1


def update_per_core(runs: Sequence[FleetRun], core_count: int) -> Figure:
    basis = largest_run(runs)
    used = min(basis.jobs, core_count)
    return Figure(
        FLEET_UPDATE_PER_CORE,
        basis.per_service * used,
        "s",
        note=(
            f"core time one service costs: wall s/service * min(jobs, cores) = "
            f"{basis.per_service:.3g} * min({basis.jobs}, {core_count}), "
            f"from the {basis.size}-service run at jobs {basis.jobs}"
        ),
    )


def add_fleet_targets(report: Report, runs: Mapping[str, Sequence[FleetRun]]) -> None:
    """The figures the fleet's targets judge, each from its command's largest run."""
    if "status" in runs:
        report.add(status_of_100(runs["status"]))
    else:
        report.missing(FLEET_STATUS_100, "needs fleet status, which was unavailable")
    if "update" in runs:
        report.add(update_per_core(runs["update"], cores()))
    else:
        report.missing(FLEET_UPDATE_PER_CORE, "needs fleet update, which was unavailable")


def bench_fleet(
    report: Report,
    work: Path,
    clone: TemplateClone,
    sizes: Sequence[int],
    jobs: Sequence[int],
    every_pair: bool = False,
) -> None:
    """Time each fleet command over fleets of each size, at each number of jobs."""
    started = time.perf_counter()
    services = render_fleet(work / "fleet", clone.path, clone.previous, max(sizes))
    rendering = time.perf_counter() - started
    console.print(f"    {len(services)} services at {clone.previous}: {rendering:.1f} s")
    runs: dict[str, list[FleetRun]] = {}
    for command in FLEET_COMMANDS:
        growth = command not in GROWTH_WITH_EVERY_PAIR_ONLY
        pairs = fleet_pairs(sizes, jobs, every_pair, growth)
        left_out = max(sizes) > max(size for size, _jobs in pairs)
        try:
            runs[command] = time_fleet_runs(command, services, pairs, work)
        except FleetCommandError as failure:
            report.missing(f"fleet {command}", str(failure))
            continue
        for timed in runs[command]:
            figure = fleet_figure(runs[command], timed)
            if left_out:
                figure.note += f"; over {max(sizes)} services with --fleet-every-pair"
            report.add(figure)
    add_fleet_targets(report, runs)
    report.details["fleet"] = {
        "services rendered at": clone.previous,
        "newest release": clone.latest,
        "render (s)": rendering,
        "runs (s)": [asdict(timed) for command_runs in runs.values() for timed in command_runs],
    }


# --- profile ------------------------------------------------------------------------------

PROFILE = """import json
import re

from pyinstrument import Profiler
from {package} import create_app

ANSWERS = json.loads({answers})
REQUESTS = 200
# Over https, as production settings expect (Secure cookies; CSRF checks the Referer).
BASE = "https://localhost"
client = create_app().test_client()
page = client.get("/apply/name", base_url=BASE).text
token = re.search({token}, page).group(1)


def post(path, answer):
    form = {{**answer, "csrf_token": token}}
    return client.post(path, data=form, base_url=BASE, headers={{"Referer": BASE + path}})


for slug, answer in ANSWERS.items():
    assert post(f"/apply/{{slug}}", answer).status_code == 302, slug

paths = {{
    "start page": lambda: client.get("/", base_url=BASE),
    "question page": lambda: client.get({question}, base_url=BASE),
    "answer posted": lambda: post({posted}, ANSWERS[{posted}.rsplit("/", 1)[1]]),
    "check answers": lambda: client.get({check}, base_url=BASE),
}}
for name, send in paths.items():
    status = send().status_code
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(REQUESTS):
            send()
    print(f"=== {{name}} (status {{status}}), {{REQUESTS}} requests ===")
    print(profiler.output_text(unicode=True, color=False, show_all=False))
"""


def profile_journey(project: Path, env: Mapping[str, str]) -> None:
    """Print where 200 requests of each measured path spend their time (pyinstrument):
    the start page, a question page and an answer posted with a journey in progress, and
    check answers."""
    script = PROFILE.format(
        package=package_of(project),
        answers=repr(json.dumps(journey_answers(project))),
        question=repr(QUESTION_PAGE),
        posted=repr(ANSWER_POSTED),
        check=repr(CHECK_ANSWERS),
        token=repr(CSRF_TOKEN_PATTERN),
    )
    result = subprocess.run(
        ["uv", "run", "--locked", "--with", "pyinstrument", "python", "-c", script],
        cwd=project,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        check=True,
    )
    print(result.stdout)


# --- main -----------------------------------------------------------------------------------


def describe_machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo")
    models = (
        [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
         if line.startswith("model name")]
        if cpuinfo.exists()
        else []
    )  # fmt: skip
    meminfo = Path("/proc/meminfo")
    memory = meminfo.read_text().splitlines()[0].split(":")[1].strip() if meminfo.exists() else ""
    return {
        "cpus": os.cpu_count(),
        "cpu model": models[0] if models else platform.processor(),
        "memory": memory,
        "system": platform.platform(),
        "python": platform.python_version(),
        "copier": version("copier"),
    }


SECTIONS = ("generation", "service", "update", "fleet")


def section_names(text: str) -> frozenset[str]:
    """Comma-separated section names, each one of SECTIONS."""
    names = frozenset(name.strip() for name in text.split(",") if name.strip())
    if not names or not names <= set(SECTIONS):
        choices = ", ".join(SECTIONS)
        raise argparse.ArgumentTypeError(f"{text!r}: name sections from {choices}")
    return names


def positive_numbers(text: str) -> tuple[int, ...]:
    """Comma-separated whole numbers of at least 1, smallest first, each once."""
    try:
        numbers = tuple(sorted({int(part) for part in text.split(",")}))
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r}: give numbers like 10,40") from error
    if min(numbers) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: every number must be at least 1")
    return numbers


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="gst-bench", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="generation runs (median)")
    parser.add_argument("--seconds", type=int, default=15, help="load time per server")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers, both apps")
    parser.add_argument("--output", type=Path, default=ROOT / "build" / "bench.json")
    parser.add_argument(
        "--profile", action="store_true", help="also profile each measured page with pyinstrument"
    )
    parser.add_argument(
        "--fleet-sizes", type=positive_numbers, default=(10, 40), help="services (10,40)"
    )
    parser.add_argument(
        "--fleet-jobs", type=positive_numbers, default=(1, 2), help="gst-fleet --jobs (1,2)"
    )
    parser.add_argument(
        "--fleet-every-pair",
        action="store_true",
        help="every fleet size at every jobs (by default the fewer jobs run on the smallest)",
    )
    chosen = parser.add_mutually_exclusive_group()
    sections = ", ".join(SECTIONS)
    chosen.add_argument("--only", type=section_names, help=f"run only these of: {sections}")
    chosen.add_argument("--skip", type=section_names, default=frozenset(), help="leave these out")
    return parser.parse_args(argv)


def run_sections(options: argparse.Namespace, report: Report, work: Path) -> None:
    sections = options.only or frozenset(SECTIONS) - options.skip
    console.print("[bold]Cloning the template[/bold] (uncommitted work included)")
    clone = clone_template(work / "template", env=clean_env())
    empty = make_empty_template(work)
    timings: dict[str, float] = {}
    for section in (name for name in SECTIONS if name in sections):
        console.print(f"[bold]{section.capitalize()}[/bold]")
        started = time.perf_counter()
        if section == "generation":
            bench_generation(report, work, clone.path, empty, options.runs)
        elif section == "service":
            bench_service(report, work, clone.path, options)
        elif section == "update":
            bench_update(report, work, clone.path, clone.previous, empty)
        else:
            sizes, jobs = options.fleet_sizes, options.fleet_jobs
            bench_fleet(report, work, clone, sizes, jobs, options.fleet_every_pair)
        timings[section] = time.perf_counter() - started
    report.details["section wall time (s)"] = timings


def bench_service(report: Report, work: Path, template: Path, options: argparse.Namespace) -> None:
    """First green, throughput and page weight, on one rendered service."""
    project = bench_first_green(report, work, template)
    console.print("[bold]Throughput[/bold]")
    env = prepare_database(project)
    bench_throughput(report, work, project, env, options.seconds, options.workers)
    console.print("[bold]The journey[/bold]")
    bench_journey(report, work, project, env, options.seconds, options.workers)
    console.print("[bold]Page weight[/bold]")
    bench_page_weight(report, project, env, options.workers)
    if options.profile:
        profile_journey(project, env)


def main(argv: Sequence[str] | None = None) -> int:
    options = parse(argv)
    report = Report(machine=describe_machine())
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gst-bench-") as folder:
        run_sections(options, report, Path(folder))
    report.details["bench wall time (s)"] = time.perf_counter() - started
    # Wide enough for the table whatever the terminal (or none, in CI logs).
    Console(width=160).print(report.table())
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(report.as_json(), indent=2) + "\n")
    console.print(f"Written to {options.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
