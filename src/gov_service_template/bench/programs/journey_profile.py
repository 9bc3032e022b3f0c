"""Prints where 200 requests of each measured path spend their time (pyinstrument).

    uv run --locked --with pyinstrument python journey_profile.py <package> <settings.json>

Run in the rendered service; the settings are the journey load's (journey_load.py).
"""

import importlib
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pyinstrument import Profiler

REQUESTS = 200
# Over https, as production settings expect (Secure cookies; CSRF checks the Referer).
BASE = "https://localhost"

package, settings_file = sys.argv[1], sys.argv[2]
SETTINGS = json.loads(Path(settings_file).read_text())
ANSWERS: dict[str, dict[str, Any]] = SETTINGS["answers"]
client = importlib.import_module(package).create_app().test_client()
found = re.search(
    SETTINGS["csrf_token_pattern"], client.get(SETTINGS["first_page"], base_url=BASE).text
)
if found is None:
    sys.exit("the journey's first page has no form token")
token = found.group(1)


def post(path: str, answer: dict[str, Any]) -> Any:
    form = {**answer, "csrf_token": token}
    return client.post(path, data=form, base_url=BASE, headers={"Referer": BASE + path})


for slug, answer in ANSWERS.items():
    if post(f"{SETTINGS['journey']}/{slug}", answer).status_code != 302:
        sys.exit(f"answering {slug} did not move the journey on")

posted = SETTINGS["answer_posted"]
paths: dict[str, Callable[[], Any]] = {
    "start page": lambda: client.get("/", base_url=BASE),
    "question page": lambda: client.get(SETTINGS["question_page"], base_url=BASE),
    "answer posted": lambda: post(posted, ANSWERS[posted.rsplit("/", 1)[1]]),
    "check answers": lambda: client.get(SETTINGS["check_answers"], base_url=BASE),
}
for name, send in paths.items():
    status = send().status_code
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(REQUESTS):
            send()
    print(f"=== {name} (status {status}), {REQUESTS} requests ===")
    print(profiler.output_text(unicode=True, color=False, show_all=False))
