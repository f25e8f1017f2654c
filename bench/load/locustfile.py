"""The load test (issue 14 item 4): headless Locust against the production profile, a realistic mix of what people
and systems do: lists, request pages, "My work", dashboards (notifications), transitions, downloads.

    LOAD_WORLD=world.json .venv/bin/locust -f bench/load/locustfile.py --headless -u 50 -r 10 -t 60s \
        --host http://127.0.0.1:18101 --csv bench/out/load

Pages are requested as the TLS proxy would forward them (X-Forwarded-Proto: https) with a verified session cookie
made by bench/load/prepare.py; the API with tokens. Each acknowledge takes a submitted request off a shared queue,
so each transition is made once (a 409 would count as an error). With LOAD_HOSTS (comma-separated base URLs), the
simulated people are spread over the instances in turn, as a proxy in front of them would spread them."""

from __future__ import annotations

import itertools
import json
import os
import random
from collections import deque

from locust import HttpUser, between, task

WORLD = json.loads(open(os.environ["LOAD_WORLD"]).read())
TO_ACKNOWLEDGE = deque(WORLD["to_acknowledge"])
PROXY = {"X-Forwarded-Proto": "https"}
INSTANCES = itertools.cycle([host for host in os.environ.get("LOAD_HOSTS", "").split(",") if host] or [None])


class Person(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self):
        instance = next(INSTANCES)
        if instance:
            self.client.base_url = instance
        session = random.choice(WORLD["sessions"])
        self.page_headers = {**PROXY, "Cookie": f"__Host-sessionid={session}"}
        self.api = {**PROXY, "Authorization": f"Token {WORLD['tokens']['requester']}"}

    @task(4)
    def my_work(self):
        self.client.get("/my-work/", headers=self.page_headers, name="page: My work")

    @task(3)
    def request_list_page(self):
        self.client.get("/requests/", headers=self.page_headers, name="page: requests")

    @task(3)
    def request_page(self):
        reference = random.choice(WORLD["references"])
        self.client.get(f"/requests/{reference}/", headers=self.page_headers, name="page: a request")

    @task(2)
    def notifications(self):
        self.client.get("/notifications/", headers=self.page_headers, name="page: notifications")

    @task(4)
    def api_list(self):
        self.client.get("/api/requests/", headers=self.api, name="api: requests")

    @task(3)
    def api_detail(self):
        self.client.get(f"/api/requests/{random.choice(WORLD['requests'])}/", headers=self.api,
                        name="api: a request")

    @task(1)
    def download(self):
        if WORLD["files"]:
            self.client.get(f"/api/files/{random.choice(WORLD['files'])}/download/", headers=self.api,
                            name="api: download")

    @task(1)
    def acknowledge(self):
        if not TO_ACKNOWLEDGE:
            return
        pk, version = TO_ACKNOWLEDGE.popleft()
        self.client.post(f"/api/requests/{pk}/acknowledge/", json={"version": version, "note": ""},
                         headers={**PROXY, "Authorization": f"Token {WORLD['tokens']['spoc']}"},
                         name="api: acknowledge")
