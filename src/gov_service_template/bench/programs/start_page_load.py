"""Locust users that load the start page, over and over."""

from locust import FastHttpUser, task


class StartPage(FastHttpUser):
    @task
    def start_page(self) -> None:
        self.client.get("/")
