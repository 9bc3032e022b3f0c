"""Template releases for the update tests: see gov_service_template.releases."""

from __future__ import annotations

from pathlib import Path

from gov_service_template.releases import TemplateClone
from gov_service_template.releases import clone_template as clone_with_env
from tests.support import project_env

__all__ = ["TemplateClone", "clone_template"]


def clone_template(destination: Path) -> TemplateClone:
    """A throwaway clone of this repository, tagged, with uncommitted work as the latest."""
    return clone_with_env(destination, env=project_env())
