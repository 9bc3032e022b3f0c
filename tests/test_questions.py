"""Copier's questions: working defaults, and wrong answers refused with the rule they broke."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.support import ROOT, answers_file, render, run


@pytest.mark.parametrize(
    ("answers", "rule"),
    [
        ({"service_name": "No"}, "service_name must be 3 to 80 characters long"),
        ({"service_name": "x" * 81}, "service_name must be 3 to 80 characters long"),
        ({"service_name": " Apply for a thing"}, "service_name must not start or end with a space"),
        # Each would break a Python, TOML or YAML string, or hide in it unseen.
        ({"service_name": "Apply for a\nthing"}, "service_name must contain only letters, digits"),
        ({"service_name": "Apply for a thing\n"}, "service_name must contain only letters, digits"),
        ({"service_name": "Apply\tfor a thing"}, "service_name must contain only letters, digits"),
        ({"service_name": "Apply\u2028for a thing"}, "service_name must contain only letters"),
        ({"service_name": "Apply for\u200b a thing"}, "service_name must contain only letters"),
        ({"service_name": "Apply \u202efor a thing"}, "service_name must contain only letters"),
        ({"organisation": "Office\x00"}, "organisation must contain only letters, digits"),
        (
            {"organisation": "Ελληνικό Γραφείο"},
            "organisation must contain at least one letter A to Z",
        ),
        ({"service_slug": "Bad Slug"}, "service_slug must match ^[a-z][a-z0-9-]{1,62}$"),
        ({"service_slug": "1st-service"}, "service_slug must match"),
        ({"service_slug": "a" * 64}, "service_slug must match"),
        ({"service_slug": "my-service\n"}, "service_slug must match"),
        ({"service_slug": "my-service-"}, "service_slug must not end with a hyphen"),
        # Derived from a name with no letters a to z: there is no slug to derive.
        ({"service_name": "Ελληνική υπηρεσία"}, "service_slug must match"),
        ({"package_name": "2fast"}, "package_name must be a Python identifier"),
        ({"package_name": "has-hyphen"}, "package_name must be a Python identifier"),
        ({"package_name": "class"}, "package_name must not be a Python keyword"),
        ({"package_name": "tests"}, "package_name must not shadow a module"),
        ({"package_name": "pytest"}, "package_name must not shadow a module"),
        ({"package_name": "markupsafe"}, "package_name must not shadow a module"),
        ({"package_name": "my_service\n"}, "package_name must be a Python identifier"),
        # Python would import its own module of that name, never the service's.
        ({"package_name": "email"}, "package_name must not be the name of a module in Python's"),
        ({"package_name": "abc"}, "package_name must not be the name of a module in Python's"),
        ({"service_name": "Typing"}, "package_name must not be the name of a module in Python's"),
        ({"organisation": "X"}, "organisation must be 2 to 120 characters long"),
        ({"contact_email": "not-an-email"}, "contact_email must be an email address"),
        ({"contact_email": "team@localhost"}, "contact_email must be an email address"),
        # Each would break the mailto: links or the Markdown they are written into.
        ({"contact_email": "team@example.gov.uk\n"}, "contact_email must be an email address"),
        ({"contact_email": "help?desk@example.gov.uk"}, "contact_email must be an email address"),
        ({"contact_email": "a&b@example.gov.uk"}, "contact_email must be an email address"),
        ({"contact_email": '"team"@example.gov.uk'}, "contact_email must be an email address"),
        ({"contact_email": "<team@example.gov.uk>"}, "contact_email must be an email address"),
        ({"contact_email": "team..a@example.gov.uk"}, "contact_email must be an email address"),
        ({"contact_email": "team@-example.gov.uk"}, "contact_email must be an email address"),
        ({"contact_email": "tîm@example.gov.uk"}, "contact_email must be an email address"),
        ({"phase": "gamma"}, "'gamma' is not in ['alpha', 'beta', 'live']"),
        ({"python_version": "3.9"}, "'3.9' is not in ['3.11', '3.12', '3.13']"),
        ({"welsh": True, "service_name_cy": "Na"}, "service_name_cy must be 3 to 80 characters"),
        ({"welsh": True, "service_name_cy": "Gwneud\ncais"}, "service_name_cy must contain only"),
        ({"welsh": True, "organisation_cy": " Adran"}, "organisation_cy must not start or end"),
    ],
)
def test_a_wrong_answer_is_refused_with_its_rule(
    tmp_path: Path, answers: dict[str, str], rule: str
) -> None:
    with pytest.raises(ValueError, match=r"Validation error|Invalid choice") as refused:
        render(tmp_path / "service", answers, set_up=False)

    assert rule in str(refused.value)
    assert not (tmp_path / "service").exists(), "nothing is written for a refused answer"


@pytest.mark.parametrize(
    "answers",
    [
        # Welsh, Irish and Scottish Gaelic names, with their accents and apostrophes.
        {"service_name": "Gwneud cais am drwydded i jyglo’r ŵyn", "service_slug": "trwydded"},
        {"service_name": "Cláraigh d’ainm", "organisation": "Oifig an Ard-Chláraitheora"},
        {"organisation": "Riaghaltas na h-Alba & “Comhairle”", "service_name": "Apply <now>"},
        {"service_name": 'Apply\u00a0for a "{{ licence }}" {% raw %} \\ today'},
        {"service_name": "Apply for a [= licence =] [% raw %] [# today #]"},
        {"contact_email": "o'brien+help@llyw.cymru"},
        {"contact_email": "first.last_2~x!$*@sub-1.dept.example.gov.uk"},
    ],
)
def test_awkward_but_good_answers_are_accepted(tmp_path: Path, answers: dict[str, str]) -> None:
    project = render(tmp_path / "service", answers, set_up=False)

    recorded = answers_file(project)
    assert {question: recorded[question] for question in answers} == answers


def test_the_command_line_names_the_rule(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "copier", "copy", "--trust", "--defaults", "--vcs-ref=HEAD"]
    result = run([*command, "--data", "service_slug=Bad Slug", ROOT, tmp_path / "svc"], tmp_path)

    assert result.returncode != 0
    assert "service_slug must match ^[a-z][a-z0-9-]{1,62}$" in result.stderr


DERIVED_NAMES = [
    ("Apply for a juggling licence", "apply-for-a-juggling-licence"),
    ("Register a child’s school & nursery place", "register-a-child-s-school-nursery-place"),
    ("Get a  licence!!", "get-a-licence"),
    # Cut to 63 characters (a DNS label), without a trailing hyphen.
    (
        "Apply for a licence to juggle clubs, knives or torches in a public place",
        "apply-for-a-licence-to-juggle-clubs-knives-or-torches-in-a-publ",
    ),
]


@pytest.mark.parametrize(("service_name", "slug"), DERIVED_NAMES)
def test_names_derive_from_the_service_name(tmp_path: Path, service_name: str, slug: str) -> None:
    project = render(tmp_path / "service", {"service_name": service_name}, set_up=False)
    answers = answers_file(project)

    assert answers["service_slug"] == slug
    assert answers["package_name"] == slug.replace("-", "_")
    assert answers["contact_email"] == f"{slug}@example.gov.uk"
