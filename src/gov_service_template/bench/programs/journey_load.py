"""Locust users in the middle of the example journey.

Each user answers every question once (requests named "setup"), then repeats one request
(named "measured", the only row the figures read). Cookies are kept by hand: production
settings mark them Secure, and the load runs over plain HTTP on 127.0.0.1. What to answer
and which pages to measure come from the JSON file named by BENCH_JOURNEY.
"""

import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from locust import FastHttpUser, task

SETTINGS = json.loads(Path(os.environ["BENCH_JOURNEY"]).read_text())
ANSWERS: dict[str, dict[str, Any]] = SETTINGS["answers"]
TOKEN = re.compile(SETTINGS["csrf_token_pattern"])


class Journey(FastHttpUser):
    abstract = True

    def on_start(self) -> None:
        self.cookies: dict[str, str] = {}
        page = self.send("GET", SETTINGS["first_page"], "setup", 200)
        found = TOKEN.search(page)
        if found is None:
            raise RuntimeError("the journey's first page has no form token")
        self.token = found.group(1)
        for slug, answer in ANSWERS.items():
            self.post(f"{SETTINGS['journey']}/{slug}", answer, "setup")

    def send(self, method: str, path: str, name: str, status: int, body: str | None = None) -> str:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        with self.client.request(
            method,
            path,
            data=body,
            headers=headers,
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != status:
                response.failure(f"{method} {path}: {response.status_code}")
            cookie = response.headers.get("Set-Cookie")
            if cookie:
                key, _, value = cookie.split(";", 1)[0].partition("=")
                self.cookies[key] = value
            return str(response.text or "")

    def post(self, path: str, answer: dict[str, Any], name: str) -> str:
        body = urlencode({**answer, "csrf_token": self.token}, doseq=True)
        return self.send("POST", path, name, 302, body)


class QuestionPage(Journey):
    @task
    def question_page(self) -> None:
        self.send("GET", SETTINGS["question_page"], "measured", 200)


class AnswerPost(Journey):
    @task
    def answer(self) -> None:
        posted = SETTINGS["answer_posted"]
        self.post(posted, ANSWERS[posted.rsplit("/", 1)[1]], "measured")


class CheckAnswers(Journey):
    @task
    def check_answers(self) -> None:
        self.send("GET", SETTINGS["check_answers"], "measured", 200)
