"""The service's journeys: each is declared in a file of its own here, and served by the
journey engine at /<its name>/. Add a journey by writing its file and listing it below;
remove one by deleting both. See "Your own journey" in README.md.
"""

from __future__ import annotations

from ..journey_engine import Journey
from .apply import JOURNEY as APPLY

JOURNEYS: tuple[Journey, ...] = (APPLY,)
