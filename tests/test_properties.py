"""Whatever a team answers, the service stays clean.

An answer the questions accept, in any language's letters and with any punctuation,
renders a service whose files all parse and pass its own lint gate, with the names as
typed and shown once-escaped on its pages. An answer that could not be rendered safely is
refused at the question, with the rule it broke.

Hypothesis draws the answers. The examples are derandomized and no example database is
kept, so every run (and CI) tries the same ones.
"""

from __future__ import annotations

import ast
import json
import keyword
import re
import shutil
import string
import sys
import tempfile
import tomllib
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from copier import run_copy
from hypothesis import HealthCheck, Phase, event, example, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from tests.support import ROOT, output_of, run

# Each example copies the real template, which takes a second or more: no deadline.
PROPERTY = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# Unicode's letters, marks (ŵ may be typed as w and a combining circumflex), digits,
# punctuation, symbols and spaces: what the questions accept in a name.
ACCEPTED_CATEGORIES = ("L", "M", "N", "P", "S", "Zs")
ACCEPTED = st.characters(categories=ACCEPTED_CATEGORIES)
# What means something to Python, TOML, YAML, JSON, HTML, Markdown or Jinja, and the
# apostrophes and accents of Welsh, Irish and Scottish Gaelic names.
AWKWARD = st.sampled_from(
    [
        *"\"'’\u2018“”&<>\\{}#:*`$%|!?@[]~^",
        *("{{", "{%", "%}", "}}", "{#", "&amp;", "&#39;", "\\u00e9", "\\n", "- ", "'''"),
        *("[=", "=]", "[%", "%]", "[#", "#]"),  # the template's own tags (copier.yml)
        *("\u00a0", "ŵ", "ŷ", "w\u0302", "Ó", "à", "Сайт", "\U0001d504"),
    ]
)
# What no name may hold: controls, line breaks, invisible formatting, private use.
REFUSED = st.characters(categories=["Cc", "Cf", "Co", "Cs", "Zl", "Zp"])

SLUG = re.compile(r"[a-z][a-z0-9-]{1,62}")
PACKAGE = re.compile(r"[a-z][a-z0-9_]*")
EMAIL_LOCAL = string.ascii_letters + string.digits + "!$'*+_~-"
EMAIL = re.compile(
    rf"[{re.escape(EMAIL_LOCAL)}]+(\.[{re.escape(EMAIL_LOCAL)}]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
# Standard library modules a service on Python 3.11 has, though later Pythons dropped
# them (on 3.11, sys.stdlib_module_names lists them too).
DROPPED_AFTER_3_11 = frozenset(
    "aifc asynchat asyncore audioop cgi cgitb chunk crypt distutils imghdr imp lib2to3 "  # noqa: SIM905
    "mailcap msilib nis nntplib ossaudiodev pipes smtpd sndhdr spwd sunau telnetlib uu "
    "xdrlib".split()
)
STANDARD_LIBRARY = (
    frozenset(name for name in sys.stdlib_module_names if PACKAGE.fullmatch(name))
    | DROPPED_AFTER_3_11
)
# What a service imports or runs on, besides itself and the standard library (held to a
# rendered service's imports and dependencies below), and its own top-level modules.
IMPORTED_BY_THE_SERVICE = frozenset(
    "ada_url alembic authlib axe_playwright_python babel blinker click email_validator flask "  # noqa: SIM905
    "flask_babel flask_wtf "
    "govuk_frontend_jinja govuk_frontend_wtf gunicorn httpx hypothesis itsdangerous jinja2 joserfc "
    "limits markupsafe notifications_python_client nox playwright prometheus_client "
    "promql_parser "
    "psycopg pytest sqlalchemy werkzeug whitenoise wtforms yaml greenlet opentelemetry "
    "opentelemetry_exporter_otlp_proto_http opentelemetry_instrumentation_flask "
    "opentelemetry_instrumentation_httpx opentelemetry_instrumentation_sqlalchemy "
    "opentelemetry_sdk".split()
)
THE_SERVICES_OWN = frozenset({"app", "conftest", "migrations", "noxfile", "test", "tests"})
SOFT_KEYWORDS = frozenset({"match", "case", "type"})
TAKEN = STANDARD_LIBRARY | IMPORTED_BY_THE_SERVICE | THE_SERVICES_OWN | SOFT_KEYWORDS

CHOICES = {
    "phase": st.sampled_from(["alpha", "beta", "live"]),
    "on_govuk": st.booleans(),
    "python_version": st.sampled_from(["3.11", "3.12", "3.13"]),
    "use_notify": st.booleans(),
    "database": st.sampled_from(["sqlite", "postgresql"]),
    "deploy_target": st.sampled_from(["kubernetes", "none"]),
    "auth": st.sampled_from(["none", "one_login"]),
}


# --- The rules, written from what each file format and tool needs, not from copier.yml.


def accepted_character(character: str) -> bool:
    category = unicodedata.category(character)
    return category[0] in "LMNPS" or category == "Zs"


def text_rule(question: str, text: str, shortest: int, longest: int) -> str | None:
    if not all(map(accepted_character, text)):
        return f"{question} must contain only letters, digits, spaces, punctuation and symbols"
    if text != text.strip():
        return f"{question} must not start or end with a space"
    if not shortest <= len(text) <= longest:
        return f"{question} must be {shortest} to {longest} characters long"
    return None


def derived_slug(service_name: str) -> str:
    """service_slug's default: the name's letters a to z and digits, hyphens between."""
    slug = re.sub("[^a-z0-9]+", "-", service_name.lower()).strip("-")[:63]
    return slug.rstrip("-")


def refusal(answers: dict[str, Any]) -> tuple[str, str] | None:
    """The first question, in copier.yml's order, whose answer breaks a rule; and the rule."""
    name = answers["service_name"]
    if rule := text_rule("service_name", name, 3, 80):
        return "service_name", rule
    slug = answers.get("service_slug", derived_slug(name))
    if not SLUG.fullmatch(slug):
        return "service_slug", "service_slug must match ^[a-z][a-z0-9-]{1,62}$"
    # A Python project's name, and a Kubernetes object's, ends with a letter or digit.
    if slug.endswith("-"):
        return "service_slug", "service_slug must not end with a hyphen"
    package = answers.get("package_name", slug.replace("-", "_"))
    if not PACKAGE.fullmatch(package):
        return "package_name", "package_name must be a Python identifier"
    if keyword.iskeyword(package) or package in SOFT_KEYWORDS:
        return "package_name", "package_name must not be a Python keyword"
    if package in IMPORTED_BY_THE_SERVICE | THE_SERVICES_OWN:
        return "package_name", "package_name must not shadow a module the service imports"
    # Python imports the library's module instead; ruff sorts the imports as the library's.
    if package in STANDARD_LIBRARY:
        return "package_name", "package_name must not be the name of a module in Python's"
    organisation = answers["organisation"]
    if rule := text_rule("organisation", organisation, 2, 120):
        return "organisation", rule
    # The GitHub owner in CODEOWNERS and the image's name is made of these.
    if not re.search("[a-z0-9]", organisation.lower()):
        return "organisation", "organisation must contain at least one letter A to Z or digit"
    # Written unencoded into mailto: links, which take only these characters as they are.
    email = answers.get("contact_email", f"{slug}@example.gov.uk")
    if not EMAIL.fullmatch(email) or len(email) > 254:
        return "contact_email", "contact_email must be an email address like team@"
    return None


def accepted(answers: dict[str, Any]) -> bool:
    return refusal(answers) is None


# --- What to answer.


def text(longest: int) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(ACCEPTED, AWKWARD), min_size=1, max_size=longest).map("".join)


def accepted_text(shortest: int, longest: int) -> st.SearchStrategy[str]:
    pieces = st.lists(st.one_of(ACCEPTED, AWKWARD), min_size=shortest, max_size=longest // 2)
    return pieces.map("".join).map(str.strip).filter(lambda t: shortest <= len(t) <= longest)


def with_one_of(
    texts: st.SearchStrategy[str], characters: st.SearchStrategy[str]
) -> st.SearchStrategy[str]:
    """Each text with one of the characters put somewhere in it."""
    return st.builds(
        lambda text, character, where: (
            text[: where % (len(text) + 1)] + character + text[where % (len(text) + 1) :]
        ),
        texts,
        characters,
        st.integers(min_value=0),
    )


def possibly_refused_text(longest: int) -> st.SearchStrategy[str]:
    return st.one_of(text(longest + 10), with_one_of(text(longest), REFUSED))


ACCEPTED_ORGANISATION = with_one_of(
    text(118).map(str.strip), st.sampled_from(string.ascii_letters + string.digits)
).filter(lambda t: 2 <= len(t) <= 120)
ACCEPTED_SLUG = st.from_regex(r"\A[a-z][a-z0-9-]{0,61}[a-z0-9]\Z")
ACCEPTED_PACKAGE = st.from_regex(r"\A[a-z][a-z0-9_]{0,30}\Z").filter(lambda p: p not in TAKEN)
ACCEPTED_EMAIL = st.builds(
    lambda local, domain, tld: f"{'.'.join(local)}@{'.'.join(domain)}.{tld}",
    st.lists(st.text(EMAIL_LOCAL, min_size=1, max_size=12), min_size=1, max_size=3),
    st.lists(st.from_regex(r"\A[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?\Z"), min_size=1, max_size=3),
    st.from_regex(r"\A[a-zA-Z]{2,6}\Z"),
)

ACCEPTED_ANSWERS = st.fixed_dictionaries(
    {
        "service_name": accepted_text(3, 80),
        "organisation": ACCEPTED_ORGANISATION,
        "service_slug": ACCEPTED_SLUG,
        "contact_email": ACCEPTED_EMAIL,
        **CHOICES,
    },
    optional={"package_name": ACCEPTED_PACKAGE},
).filter(accepted)


def mostly(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Three in four from good: so that later questions are reached often enough."""
    return st.integers(0, 3).flatmap(lambda dice: bad if dice == 0 else good)


ANY_ANSWERS = st.fixed_dictionaries(
    {
        "service_name": mostly(accepted_text(3, 80), possibly_refused_text(80)),
        "organisation": mostly(
            ACCEPTED_ORGANISATION,
            st.one_of(possibly_refused_text(120), st.text(ACCEPTED, max_size=5)),
        ),
    },
    # Left out, an answer is its default, derived from the name or the slug.
    optional={
        "service_slug": mostly(ACCEPTED_SLUG, st.from_regex(r"\A[a-z0-9-]{0,66}\n?\Z")),
        "package_name": mostly(
            ACCEPTED_PACKAGE,
            st.one_of(
                st.sampled_from(sorted(TAKEN | set(keyword.kwlist))),
                st.from_regex(r"\A[A-Za-z0-9_-]{0,10}\n?\Z"),
            ),
        ),
        "contact_email": mostly(
            ACCEPTED_EMAIL,
            st.one_of(
                st.from_regex(r"\A[^@\s]{0,12}@[^@\s]{0,12}\.[a-z]{1,4}\n?\Z"),
                with_one_of(ACCEPTED_EMAIL, st.sampled_from(list('?#%&=/ "<>()[]\\,;:é'))),
            ),
        ),
    },
)

WELSH = {
    "service_name": "Gwneud cais am drwydded i “jyglo” & chwarae’r ŵyn",
    "organisation": "Llywodraeth Cymru",
    "service_slug": "trwydded-jyglo",
    "contact_email": "o'brien+trwydded@llyw.cymru",
}
NASTY = {
    "service_name": 'Apply for a "{{ licence }}" & <b>Ó\'Néill’s</b> \\ [= permit =] {% raw %}',
    "organisation": 'Oifig an Ard-Chláraitheora’s "Records" & <Archives> {# #} [% raw %] \\',
    "service_slug": "nasty-names",
    "contact_email": "o'brien!$*+_~-@x-1.example.gov.uk",
}
# As long as the questions allow, in characters that escaping would make longer still.
LONGEST = {
    "service_name": ("Ŵ’“&<\\\"'{{ " * 8)[:79] + "x",
    "organisation": ("Swyddfa’r “Gymraeg” & <Cymru> " * 4)[:119] + "x",
    "service_slug": "s" * 63,
    "package_name": "p" * 63,
    "contact_email": "o'brien@" + "d" * 63 + ".example.gov.uk",
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template as it is in this work tree, uncommitted changes too, outside git: it
    renders straight from there, rather than from a clone for every example."""
    copy = tmp_path_factory.mktemp("template")
    shutil.copy(ROOT / "copier.yml", copy)
    shutil.copytree(ROOT / "template", copy / "template")
    shutil.copytree(ROOT / "includes", copy / "includes")  # macros the template imports
    return copy


def copy(template: Path, destination: Path, answers: dict[str, Any], **options: Any) -> None:
    run_copy(str(template), destination, data=answers, defaults=True, quiet=True, **options)


# --- Refused with the rule, or accepted: fast, as nothing is written (pretend).


@settings(PROPERTY, max_examples=100)
@given(answers=ANY_ANSWERS)
def test_an_answer_is_refused_exactly_when_it_breaks_a_rule(
    template: Path, answers: dict[str, Any]
) -> None:
    expected = refusal(answers)
    event(f"refused: {expected[0]}" if expected else "accepted")
    with tempfile.TemporaryDirectory() as folder:
        try:
            copy(template, Path(folder) / "service", answers, pretend=True)
        except ValueError as refused:
            assert expected, f"refused, though no rule says so: {refused}"
            question, rule = expected
            assert f"Validation error for question '{question}': {rule}" in str(refused)
        else:
            assert expected is None, f"accepted, though {expected}"


# --- Accepted answers render a clean service.


def _yaml_documents(text: str) -> list[Any]:
    return list(yaml.safe_load_all(text))


PARSERS: dict[str, Callable[[str], object]] = {
    ".py": ast.parse,
    ".toml": tomllib.loads,
    ".yml": _yaml_documents,
    ".yaml": _yaml_documents,
    ".json": json.loads,
}
DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
GITHUB_OWNER = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
PROJECT_NAME = re.compile(r"[a-z0-9]([a-z0-9._-]*[a-z0-9])?", re.IGNORECASE)


def assert_every_file_parses(project: Path) -> None:
    for path in project.rglob("*"):
        if path.is_file() and (parse := PARSERS.get(path.suffix)):
            try:
                parse(path.read_text(encoding="utf-8"))
            except Exception as error:  # whatever the parser raises, say which file
                pytest.fail(f"{path.relative_to(project)} does not parse: {error}")


def assert_lint_clean(project: Path) -> None:
    for check in (["check", "--no-cache", "."], ["format", "--no-cache", "--check", "."]):
        result = run([sys.executable, "-m", "ruff", *check], project)
        assert result.returncode == 0, output_of(result)


def assert_written_as_typed(literal: str, value: str, quotes: str) -> None:
    """A string literal holds the text itself: its only escapes are \\\\ and the quotes."""
    assert literal[0] == literal[-1] and literal[0] in quotes, literal
    body = literal[1:-1]
    assert set(re.findall(r"\\(.)", body, re.DOTALL)) <= {"\\", '"', "'"}, literal
    assert re.sub(r"\\(.)", r"\1", body, flags=re.DOTALL) == value, literal


def assert_names_are_as_typed(project: Path, answers: dict[str, Any]) -> None:
    final = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert {question: final[question] for question in answers} == answers
    package, slug = final["package_name"], final["service_slug"]

    source = (project / "src" / package / "service.py").read_text(encoding="utf-8")
    fields = {"name": "service_name", "organisation": "organisation", "contact_email": ""}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.keyword) and node.arg in fields:
            literal = ast.get_source_segment(source, node.value)
            assert literal is not None
            assert_written_as_typed(literal, final[fields[node.arg] or node.arg], "\"'")

    pyproject = (project / "pyproject.toml").read_text(encoding="utf-8")
    description = re.search(r"^description = (.*)$", pyproject, re.MULTILINE)
    assert description, "pyproject.toml has a description"
    assert_written_as_typed(description.group(1), final["service_name"], '"')
    assert tomllib.loads(pyproject)["project"]["description"] == final["service_name"]
    assert PROJECT_NAME.fullmatch(tomllib.loads(pyproject)["project"]["name"])

    readme = (project / "README.md").read_text(encoding="utf-8")
    assert readme.splitlines()[0] == f"# {final['service_name']}"

    codeowners = (project / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    owner = re.search(r"^\* @(\S+)/(\S+)$", codeowners, re.MULTILINE)
    assert owner, codeowners
    assert GITHUB_OWNER.fullmatch(owner.group(1)) and len(owner.group(1)) <= 39
    assert owner.group(2) == slug


def assert_kubernetes_names_are_valid(project: Path) -> None:
    for path in (project / "deploy").rglob("*.yaml"):
        for document in _yaml_documents(path.read_text(encoding="utf-8")):
            names = [document.get("namespace")]
            names += [document.get("metadata", {}).get("name")]
            for name in filter(None, names):
                assert DNS_LABEL.fullmatch(name), f"{path.relative_to(project)}: {name}"


# Each example renders and lints a service (seconds each): enough to vary every answer
# (each question has at most four kinds of answer; the examples below add the extremes).
@settings(PROPERTY, max_examples=20)
@given(answers=ACCEPTED_ANSWERS)
@example(answers=WELSH | {"auth": "one_login", "database": "postgresql"})
@example(answers=NASTY | {"on_govuk": False, "python_version": "3.13"})
@example(answers=LONGEST | {"use_notify": False, "deploy_target": "none"})
def test_any_accepted_answer_renders_a_clean_service(
    template: Path, answers: dict[str, Any]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "service"
        copy(template, project, answers)

        assert_every_file_parses(project)
        assert_lint_clean(project)
        assert_names_are_as_typed(project, answers)
        if answers.get("deploy_target", "kubernetes") == "kubernetes":
            assert_kubernetes_names_are_valid(project)


# --- The pages show the names once-escaped: a few services, each built and fetched.

PAGES_SCRIPT = """
import json, sys, tempfile
from pathlib import Path

from tests.helpers import make_app, make_settings

with tempfile.TemporaryDirectory() as folder:
    client = make_app(make_settings(Path(folder))).test_client()
    pages = {path: client.get(path).get_data(as_text=True) for path in sys.argv[1:]}
print(json.dumps(pages))
"""
PAGES = ("/", "/accessibility-statement", "/privacy")


def fetch_pages(project: Path, environment: Path) -> dict[str, str]:
    """The pages, from the service's own app and test settings, in its own environment."""
    shared = {"UV_PROJECT_ENVIRONMENT": str(environment)}
    lock = run(["uv", "lock", "--quiet", "--offline"], project)
    if lock.returncode != 0:
        lock = run(["uv", "lock", "--quiet"], project)
    assert lock.returncode == 0, output_of(lock)
    command = ["uv", "run", "--quiet", "--locked", "--no-default-groups", "python", "-c"]
    result = run([*command, PAGES_SCRIPT, *PAGES], project, **shared)
    assert result.returncode == 0, output_of(result)
    pages: dict[str, str] = json.loads(result.stdout)
    return pages


def only(pattern: str, html: str) -> str:
    found = re.findall(pattern, html, re.DOTALL)
    assert len(found) == 1, f"{pattern} matches {len(found)} times"
    return str(found[0]).strip()


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One virtual environment for these services: their dependencies are the same."""
    return tmp_path_factory.mktemp("environment") / "venv"


# Each example builds an environment and an app: a few only, and no shrinking, which would
# build dozens more. The failing answers are shown as they were drawn.
@settings(PROPERTY, max_examples=3, phases=[Phase.explicit, Phase.generate])
@given(
    answers=st.fixed_dictionaries(
        {
            "service_name": accepted_text(3, 80),
            "organisation": ACCEPTED_ORGANISATION,
            "service_slug": ACCEPTED_SLUG,
            "on_govuk": st.booleans(),
        }
    ).filter(accepted)
)
@example(answers=WELSH | {"on_govuk": True})
@example(answers=NASTY | {"on_govuk": False})
def test_pages_show_the_names_once_escaped(
    template: Path, environment: Path, answers: dict[str, Any]
) -> None:
    name, organisation = answers["service_name"], answers["organisation"]
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "service"
        copy(template, project, answers)
        pages = fetch_pages(project, environment)

    # Escaped once: each place shows exactly markupsafe's escape of the text, so neither
    # raw markup nor &amp;amp; gets through.
    start = pages["/"]
    suffix = " – GOV.UK" if answers["on_govuk"] else ""
    head = start.split("</head>")[0]  # the GOV.UK logo has a <title> of its own
    assert only(r"<title>(.*?)</title>", head) == f"{escape(name)}{suffix}"
    assert only(r'<h1 class="govuk-heading-xl">(.*?)</h1>', start) == escape(name)
    navigation = r'class="govuk-service-navigation__service-name">\s*<a[^>]*>(.*?)</a>'
    assert only(navigation, start) == escape(name)
    first, rest = escape(name[0].lower()), escape(name[1:])
    assert f'<p class="govuk-body">Use this service to {first}{rest}.</p>' in start
    assert f'<p class="govuk-body">{escape(organisation)} will use your answers' in start
    # The phase banner's feedback link: its subject percent-encoded once, and no more.
    assert f'?subject={quote("Feedback: " + name, safe="/")}"' in start
    statement = pages["/accessibility-statement"]
    heading = only(r'<h1 class="govuk-heading-l">(.*?)</h1>', statement)
    assert heading == f"Accessibility statement for {escape(name)}"
    assert f"This service is run by {escape(organisation)}. We want" in statement
    assert f"{escape(organisation)} is the data controller" in pages["/privacy"]
    if not answers["on_govuk"]:
        logo = r'class="govuk-generic-header__homepage-link">(.*?)</a>'
        assert only(logo, start) == escape(organisation)


# --- No package name that would hide, or be hidden by, a module the service imports.


def top_level_imports(project: Path) -> set[str]:
    imported = set()
    for path in project.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.partition(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.partition(".")[0])
    return imported


def test_a_package_name_that_would_clash_with_an_import_is_refused(template: Path) -> None:
    everything = {
        "auth": "one_login",
        "database": "postgresql",
        "payments": "govuk_pay",
        "welsh": True,
        "service_slug": "every-option",
    }
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "service"
        copy(template, project, everything)
        imported = top_level_imports(project) - {"every_option", "tests"}
        pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    dependencies = {
        re.split(r"[^A-Za-z0-9_.-]", requirement)[0].lower().replace("-", "_")
        for requirement in pyproject["project"]["dependencies"]
    }
    assert (imported - set(sys.stdlib_module_names)) | dependencies == IMPORTED_BY_THE_SERVICE

    accepted = []
    for package in sorted(IMPORTED_BY_THE_SERVICE | STANDARD_LIBRARY):
        with tempfile.TemporaryDirectory() as folder:
            try:
                copy(template, Path(folder) / "s", {"package_name": package}, pretend=True)
            except ValueError as refused:
                assert "Validation error for question 'package_name'" in str(refused)
            else:
                accepted.append(package)
    assert accepted == []
