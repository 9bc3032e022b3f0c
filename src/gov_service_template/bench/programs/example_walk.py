"""Prints the first journey's example answers, page by page, as JSON: from the service's
own declaration, so the bench follows the journey as the template changes it.

    uv run --locked python example_walk.py <package>    (in the rendered service)
"""

import importlib
import json
import sys

package = sys.argv[1]
walk = importlib.import_module(f"{package}.journey_engine.walk").walk
journeys = importlib.import_module(f"{package}.journeys").JOURNEYS
visits = walk(journeys[0])
print(json.dumps({visit.page.slug: visit.data for visit in visits if visit.data is not None}))
