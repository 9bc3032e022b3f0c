"""The markup parity check (gst-parity): it passes on this repository as it is, and fails
when a macro's markup changes, when a difference is not listed, or when a listed one has
gone. Everything here runs offline, on the fixtures `nox -s vendor` keeps in the repo."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from jinja2 import ChoiceLoader, DictLoader, PackageLoader

from gov_service_template import parity
from tests.support import ROOT

FIXTURES = ROOT / parity.FIXTURES_DIR
SERVICE_COMPONENTS = ROOT / parity.SERVICE_COMPONENTS


def differences_without(tmp_path: Path, component: str, fixture: str) -> Path:
    """The reviewed differences file with one fixture's entry taken out."""
    listed = yaml.safe_load((ROOT / parity.DIFFERENCES_FILE).read_text())
    for entry in listed["differences"]:
        if entry["component"] == component:
            names = entry.get("fixtures") or [entry["fixture"]]
            assert fixture in names
            entry["fixtures"] = [name for name in names if name != fixture]
            entry.pop("fixture", None)
    path = tmp_path / "differences.yml"
    path.write_text(yaml.safe_dump(listed, allow_unicode=True))
    return path


def port_with(template: str, edit: tuple[str, str]) -> ChoiceLoader:
    """The port's templates, with one of them edited as a regression in the port would."""
    name = template.removeprefix(f"{parity.PORT}/")
    source = PackageLoader(parity.PORT).get_source(None, name)[0]  # type: ignore[arg-type]
    old, new = edit
    assert old in source, f"{old!r} is not in {template}"
    return ChoiceLoader([DictLoader({template: source.replace(old, new, 1)}), parity.port_loader()])


def test_the_service_matches_upstream_but_for_the_reviewed_differences(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert parity.main(["--root", str(ROOT)]) == 0
    out = capsys.readouterr().out
    report = parity.check(ROOT)
    assert report.ok, out
    names = {component.name for component in report.components}
    # Rendered directly by the service's templates, through govuk-frontend-wtf's widgets,
    # inside other components, and by the service's own macros.
    assert {"header", "footer", "service-navigation", "phase-banner", "skip-link"} <= names
    assert {"input", "date-input", "radios", "checkboxes", "character-count"} <= names
    assert {"label", "hint", "error-message", "fieldset", "textarea"} <= names
    assert {"language-navigation", "feedback"} <= names
    assert report.compared > 500
    assert report.known, "the reviewed file lists differences, so some must be found"
    assert f"{report.compared} fixtures:" in out
    assert "service macros: feedback, language-navigation" in out


def test_a_change_to_a_port_macro_fails_naming_component_and_fixture(
    capsys: pytest.CaptureFixture[str],
) -> None:
    hint = "govuk_frontend_jinja/components/hint/macro.html"
    port = port_with(hint, ('class="govuk-hint', 'class="govuk-hint app-hint'))
    report = parity.check(ROOT, port=port)
    assert not report.ok
    failed = {(difference.component, difference.fixture) for difference in report.unexpected}
    assert ("hint", "default") in failed
    # Components that render a hint inside them differ too.
    assert ("input", "with hint text") in failed
    parity.print_report(report)
    out = capsys.readouterr().out
    assert "DIFFERS hint / default (not listed)" in out
    assert '+<div class="govuk-hint app-hint"' in out


def test_a_change_to_a_service_macro_fails(tmp_path: Path) -> None:
    components = tmp_path / "templates" / "components"
    shutil.copytree(SERVICE_COMPONENTS, components)
    macro = components / "[% if welsh %]language-navigation[% endif %]" / "macro.html"
    text = macro.read_text()
    assert '"rel": "alternate"' in text
    macro.write_text(text.replace('"rel": "alternate"', '"rel": "nofollow"'))
    report = parity.check(ROOT, service_components=components)
    failed = {(difference.component, difference.fixture) for difference in report.unexpected}
    assert ("language-navigation", "default") in failed
    assert all(component == "language-navigation" for component, _ in failed)


def test_a_difference_that_is_not_listed_fails(tmp_path: Path) -> None:
    listed = differences_without(tmp_path, "button", "start link with html")
    report = parity.check(ROOT, differences_file=listed)
    assert [(d.component, d.fixture) for d in report.unexpected] == [
        ("button", "start link with html")
    ]
    assert "<span>" in report.unexpected[0].detail


def test_a_listed_difference_that_has_gone_is_stale(tmp_path: Path) -> None:
    listed = yaml.safe_load((ROOT / parity.DIFFERENCES_FILE).read_text())
    listed["differences"] += [
        {"component": "input", "fixture": "default", "reason": "it matches, so this is stale"},
        {"component": "input", "fixture": "no such example", "reason": "not upstream's"},
    ]
    path = tmp_path / "differences.yml"
    path.write_text(yaml.safe_dump(listed, allow_unicode=True))
    report = parity.check(ROOT, differences_file=path)
    assert not report.ok
    assert report.stale == [
        ("input", "default", "no longer differs"),
        ("input", "no such example", "no such fixture"),
    ]


def test_an_entry_needs_a_reason_and_a_review_against_the_vendored_release(
    tmp_path: Path,
) -> None:
    listed = yaml.safe_load((ROOT / parity.DIFFERENCES_FILE).read_text())
    listed["govuk_frontend"] = "6.3.0"
    listed["differences"][0]["reason"] = " "
    path = tmp_path / "differences.yml"
    path.write_text(yaml.safe_dump(listed, allow_unicode=True))
    problems = "\n".join(parity.check(ROOT, differences_file=path).problems)
    assert "reviewed against GOV.UK Frontend 6.3.0, not 6.6.0" in problems
    assert "start link with html: no reason" in problems


def test_a_component_without_vendored_fixtures_fails(tmp_path: Path) -> None:
    fixtures = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, fixtures)
    version = parity.vendored_version(fixtures)
    (fixtures / version / "hint.json").unlink()
    report = parity.check(ROOT, fixtures_dir=fixtures)
    assert any(p.startswith("hint: the service renders it but") for p in report.problems)


def test_a_component_new_to_the_template_joins_the_check(tmp_path: Path) -> None:
    template = tmp_path / "template"
    (template / "pages").mkdir(parents=True)
    (template / "pages" / "help.html.jinja").write_text(
        '{% from "govuk_frontend_jinja/components/details/macro.html" import govukDetails %}'
    )
    (template / "forms.py").write_text("from govuk_frontend_wtf.wtforms_widgets import GovSelect\n")
    env = parity.environment(tmp_path / "no-components")
    names = {c.name for c in parity.components_used(template, tmp_path / "none", env)}
    # details directly; select through its widget, with the label, hint and error message
    # the select macro renders.
    assert names == {"details", "select", "label", "hint", "error-message"}


def test_normalising_ignores_whitespace_and_attribute_order_only() -> None:
    same = parity.normalise
    assert same('<a  href="/x"\n class="govuk-link">\n  Start  now </a>') == same(
        '<a class="govuk-link" href="/x">Start now</a>'
    )
    assert same("<p>It&#39;s</p>") == same("<p>It's</p>")
    assert same('<input type="checkbox" checked>') == same('<input checked="" type="checkbox"/>')
    assert same('<div class=" a\n  b ">') == same('<div class="a b">')
    # Real differences stay.
    assert same('<div class="a b">') != same('<div class="b a">')
    assert same("<p>Start now</p>") != same("<p>Start today</p>")
    assert same('<input type="text">') != same('<input type="text" disabled>')
    assert same('<a href="/x">') != same('<a href="/y">')
    assert same("<span>x</span>") != same("<div>x</div>")
    assert same("<p>a&nbsp;b</p>") != same("<p>a b</p>")
    assert same("<textarea>\n  x</textarea>") != same("<textarea>\nx</textarea>")


def test_the_feedback_macro_takes_a_call_block_like_html() -> None:
    """The call form cannot be in upstream's examples (they are options only)."""
    env = parity.environment(SERVICE_COMPONENTS)
    fixture = json.loads(
        (FIXTURES / parity.vendored_version(FIXTURES) / "feedback.json").read_text()
    )["fixtures"][0]
    options = dict(fixture["options"])
    body = options.pop("html")
    page = env.from_string(
        '{% from "components/feedback/macro.html" import govukFeedback %}'
        "{% call govukFeedback(params) %}{{ body | safe }}{% endcall %}"
    )
    assert parity.normalise(page.render(params=options, body=body)) == parity.normalise(
        fixture["html"]
    )
