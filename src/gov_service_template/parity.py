"""Markup parity: the generated service's GOV.UK Frontend macros against upstream's examples.

A generated service renders GOV.UK Frontend components through Jinja macros: the
community port's (govuk-frontend-jinja), reached directly or through govuk-frontend-wtf's
widgets, and a few of its own for components the port lacks. Its CSS and JavaScript are
GOV.UK Frontend's own, vendored at the release `nox -s vendor` fetched. This check renders
every example GOV.UK Frontend publishes for each component the service uses (the
`fixtures.json` of that release, vendored beside the assets) through the macro the service
uses, and compares the result with upstream's HTML after normalising whitespace and
attribute order.

A difference fails the check unless it is listed, with its reason, in the reviewed
differences file; a listed difference that has gone fails it too, so the list stays true.
Run through `uvx nox -s parity` from the repository root.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    DictLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    Template,
    TemplateError,
    meta,
    nodes,
)
from packaging.specifiers import SpecifierSet

from gov_service_template.markup import diff_text, normalise

TEMPLATE_DIR = Path("template")
PACKAGE_DIR = TEMPLATE_DIR / "src" / "[=package_name=]"
# The service's own macros, for components the port lacks: components/<name>/macro.html,
# imported in the service as "components/<name>/macro.html". The one place this path is.
SERVICE_COMPONENTS = PACKAGE_DIR / "templates" / "components"
STATIC_CSS = PACKAGE_DIR / "static" / "govuk-frontend.min.css"
TEMPLATE_PYPROJECT = TEMPLATE_DIR / "pyproject.toml.jinja"
# Upstream's fixtures.json for each component checked, in a folder named for the release.
FIXTURES_DIR = Path("tests/fixtures/govuk-frontend")
DIFFERENCES_FILE = Path("parity-differences.yml")

PORT = "govuk_frontend_jinja"
WIDGETS = "govuk_frontend_wtf"
WIDGET_MODULE = "govuk_frontend_wtf.wtforms_widgets"
# Template names as the service writes them, in Jinja or in Python.
PORT_TEMPLATE_NAME = re.compile(r"\b(?:govuk_frontend_jinja|govuk_frontend_wtf)/[\w./-]+\.html\b")
PORT_COMPONENT = re.compile(r"^govuk_frontend_jinja/components/([a-z][a-z-]*)/macro\.html$")
SERVICE_COMPONENT = re.compile(r"^components/([a-z][a-z-]*)/macro\.html$")
# govuk-frontend-wtf's widget classes, as named where the service's forms use them.
WIDGET_NAME = re.compile(r"\bGov[A-Z]\w*\b")
CSS_VERSION = re.compile(r'--govuk-frontend-version:"([^"]+)"')
PORT_REQUIREMENT = re.compile(r'"govuk-frontend-jinja\s*([^";]*)"')


@dataclass(frozen=True, order=True)
class Component:
    """A component the service renders, and the macro it renders it with."""

    name: str
    template: str

    @property
    def own(self) -> bool:
        return not self.template.startswith(f"{PORT}/")


@dataclass
class Difference:
    component: str
    fixture: str
    detail: str


@dataclass
class Report:
    frontend_version: str = ""
    port_version: str = ""
    components: list[Component] = field(default_factory=list)
    compared: int = 0
    known: list[Difference] = field(default_factory=list)
    unexpected: list[Difference] = field(default_factory=list)
    stale: list[tuple[str, str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.unexpected or self.stale or self.problems)

    def summary(self) -> str:
        """A few lines: what was compared with what, and how it went."""
        port = [component.name for component in self.components if not component.own]
        own = [component.name for component in self.components if component.own]
        known: dict[str, int] = {}
        for difference in self.known:
            known[difference.component] = known.get(difference.component, 0) + 1
        listed = ", ".join(f"{name} {count}" for name, count in sorted(known.items()))
        matched = self.compared - len(self.known) - len(self.unexpected)
        return "\n".join(
            [
                f"GOV.UK Frontend {self.frontend_version or '?'} examples against "
                f"govuk-frontend-jinja {self.port_version or '?'} and the service's macros",
                f"{len(port)} port components: {', '.join(port)}",
                f"{len(own)} service macros: {', '.join(own) or 'none'}",
                f"{self.compared} fixtures: {matched} match, {len(self.known)} known "
                f"differences ({listed or 'none'}), {len(self.unexpected)} unexpected, "
                f"{len(self.stale)} stale entries, {len(self.problems)} problems",
            ]
        )


# --- Which components the service renders ------------------------------------------------


def port_loader() -> BaseLoader:
    """The port's and the widgets' templates under the names the service uses for them
    (as templating.py sets them up)."""
    return PrefixLoader({PORT: PackageLoader(PORT), WIDGETS: PackageLoader(WIDGETS)})


# A folder a service gets only for some answers, like [% if welsh %]language-navigation[% endif %].
ANSWER_CONDITION = re.compile(r"\[%.*?%\]")


def own_components(service_components: Path) -> dict[str, str]:
    """The service's own macros by the name the service imports them as, whichever answers
    render their folders."""
    return {
        f"components/{ANSWER_CONDITION.sub('', macro.parent.name)}/macro.html": macro.read_text()
        for macro in sorted(service_components.glob("*/macro.html"))
    }


def environment(service_components: Path, port: BaseLoader | None = None) -> Environment:
    """Jinja as the service has it: its own templates first, then the port's. Autoescaped,
    as Flask renders .html templates."""
    own = ChoiceLoader(
        [
            DictLoader(own_components(service_components)),
            FileSystemLoader(str(service_components.parent)),
        ]
    )
    return Environment(loader=ChoiceLoader([own, port or port_loader()]), autoescape=True)


def widget_templates(names: Iterable[str]) -> set[str]:
    """The templates that those of the names that are govuk-frontend-wtf widgets render."""
    widgets = importlib.import_module(WIDGET_MODULE)
    templates = (getattr(getattr(widgets, name, None), "template", None) for name in names)
    return {template for template in templates if isinstance(template, str)}


def referenced_in_service(template_dir: Path) -> set[str]:
    """Names of the port's and the widgets' templates that the service's files use.
    Copier templates (.jinja) are not the service's Jinja until rendered, so every file's
    text is searched for the names; Python files count the widget classes they name."""
    references: set[str] = set()
    widget_names: set[str] = set()
    for path in sorted(template_dir.rglob("*")):
        if not path.is_file() or "static" in path.relative_to(template_dir).parts:
            continue
        try:
            text = path.read_text()
        except UnicodeDecodeError:
            continue
        references.update(PORT_TEMPLATE_NAME.findall(text))
        if path.name.endswith((".py", ".py.jinja")):
            widget_names.update(WIDGET_NAME.findall(text))
    return references | widget_templates(widget_names)


def components_used(
    template_dir: Path, service_components: Path, env: Environment
) -> list[Component]:
    """Every component the service renders: those its files name, the service's own
    macros, and every component those templates render in turn (an input's label, hint
    and error message)."""
    pending = referenced_in_service(template_dir)
    if service_components.is_dir():
        pending |= set(own_components(service_components))
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        source = env.loader.get_source(env, name)[0] if env.loader else ""
        pending |= {found for found in meta.find_referenced_templates(env.parse(source)) if found}
    components = []
    for name in seen:
        match = PORT_COMPONENT.match(name) or SERVICE_COMPONENT.match(name)
        if match:
            components.append(Component(match.group(1), name))
    return sorted(components)


def macro_name(env: Environment, template: str) -> str:
    """The one public macro a component's macro.html defines, like govukInput."""
    assert env.loader is not None
    source = env.loader.get_source(env, template)[0]
    names = [
        macro.name
        for macro in env.parse(source).find_all(nodes.Macro)
        if not macro.name.startswith("_")
    ]
    if len(names) != 1:
        raise ValueError(f"{template} should define one public macro, not {names}")
    return names[0]


def caller_of(env: Environment, component: Component) -> Template:
    """A template that calls the component's macro with `params`, as the service does."""
    name = macro_name(env, component.template)
    return env.from_string(
        f'{{% from "{component.template}" import {name} %}}{{{{ {name}(params) }}}}'
    )


# --- The check ---------------------------------------------------------------------------


def vendored_version(fixtures_dir: Path) -> str:
    versions = sorted(path.name for path in fixtures_dir.glob("*") if path.is_dir())
    if len(versions) != 1:
        raise SystemExit(f"{fixtures_dir} should hold one release's fixtures, not {versions}")
    return versions[0]


def load_differences(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text()) if path.exists() else None
    return data if isinstance(data, dict) else {}


def check(
    root: Path,
    *,
    fixtures_dir: Path | None = None,
    differences_file: Path | None = None,
    service_components: Path | None = None,
    port: BaseLoader | None = None,
) -> Report:
    """Compare every fixture of every component the service renders. Paths default to
    this repository's; the tests point them (and the port's templates) elsewhere."""
    fixtures_dir = fixtures_dir or root / FIXTURES_DIR
    differences_file = differences_file or root / DIFFERENCES_FILE
    service_components = service_components or root / SERVICE_COMPONENTS
    report = Report(port_version=importlib.metadata.version("govuk-frontend-jinja"))

    requirement = PORT_REQUIREMENT.search((root / TEMPLATE_PYPROJECT).read_text())
    allowed = SpecifierSet(requirement.group(1) if requirement else "")
    if report.port_version not in allowed:
        report.problems.append(
            f"govuk-frontend-jinja {report.port_version} is installed, but the template's "
            f"pyproject.toml asks for {allowed}: change the parity group to match"
        )
    report.frontend_version = vendored_version(fixtures_dir)
    css = CSS_VERSION.search((root / STATIC_CSS).read_text())
    if not css or css.group(1) != report.frontend_version:
        report.problems.append(
            f"the fixtures are GOV.UK Frontend {report.frontend_version}'s but the vendored "
            f"CSS is {css.group(1) if css else 'unknown'}'s: run `uvx nox -s vendor`"
        )

    listed = load_differences(differences_file)
    reviewed = {
        "GOV.UK Frontend": (str(listed.get("govuk_frontend")), report.frontend_version),
        "govuk-frontend-jinja": (str(listed.get("govuk_frontend_jinja")), report.port_version),
    }
    for what, (said, found) in reviewed.items():
        if said != found:
            report.problems.append(
                f"{differences_file.name} was reviewed against {what} {said}, not {found}: "
                "review every entry again, then set the version"
            )
    accepted: dict[tuple[str, str], str] = {}
    for entry in listed.get("differences") or []:
        # One fixture, or several that differ for the same reason.
        names = entry.get("fixtures") or [entry.get("fixture")]
        reason = str(entry.get("reason") or "").strip()
        for name in names:
            key = (str(entry.get("component")), str(name))
            if not reason:
                report.problems.append(f"{differences_file.name}: {key[0]} / {key[1]}: no reason")
            if key in accepted:
                report.problems.append(f"{differences_file.name}: {key[0]} / {key[1]}: twice")
            accepted[key] = reason

    env = environment(service_components, port)
    report.components = components_used(root / TEMPLATE_DIR, service_components, env)
    seen: set[tuple[str, str]] = set()
    for component in report.components:
        path = fixtures_dir / report.frontend_version / f"{component.name}.json"
        if not path.exists():
            report.problems.append(
                f"{component.name}: the service renders it but {path} is missing: "
                "run `uvx nox -s vendor`"
            )
            continue
        try:
            page = caller_of(env, component)
        except (ValueError, TemplateError) as error:
            report.problems.append(f"{component.name}: cannot call {component.template}: {error}")
            continue
        for fixture in json.loads(path.read_text())["fixtures"]:
            key = (component.name, fixture["name"])
            seen.add(key)
            report.compared += 1
            try:
                actual = normalise(page.render(params=fixture["options"]))
            # A macro that cannot render an example differs from it too, and is named.
            except Exception as error:
                detail = f"rendering raised {type(error).__name__}: {error}"
            else:
                expected = normalise(fixture["html"])
                if actual == expected:
                    if key in accepted:
                        report.stale.append((*key, "no longer differs"))
                    continue
                detail = diff_text(expected, actual)
            difference = Difference(*key, detail)
            (report.known if key in accepted else report.unexpected).append(difference)
    report.stale += [(*key, "no such fixture") for key in accepted if key not in seen]
    return report


def print_report(report: Report, *, verbose: bool = False) -> None:
    for difference in report.unexpected:
        print(f"DIFFERS {difference.component} / {difference.fixture} (not listed):")
        print(difference.detail, end="\n\n")
    if verbose:
        for difference in report.known:
            print(f"known {difference.component} / {difference.fixture}:")
            print(difference.detail, end="\n\n")
    for component, fixture, why in report.stale:
        print(f"STALE {component} / {fixture}: listed as a difference, but {why}")
    for problem in report.problems:
        print(f"PROBLEM {problem}")
    print(report.summary())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path())
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="show the known differences too"
    )
    args = parser.parse_args(argv)
    report = check(args.root)
    print_report(report, verbose=args.verbose)
    if not report.ok:
        print(
            f"Markup parity failed. Fix the macro, or list the difference in "
            f"{DIFFERENCES_FILE} with the reason it is acceptable."
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
