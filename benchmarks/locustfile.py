"""The people of ``benchmarks/load.py``'s load test, for locust.

One kind of user per role, as many of each as the plan has signed-in sessions for it (the plan
is a JSON file ``load.py`` writes after signing each account in through the sign-in and
authenticator-code pages). Each goes round its role's main pages, weighted as the plan says, with
a short pause to read; with ``BENCH_TARGET=static`` the same people ask for one static file
instead. A response counts as an error unless it is a 200 (a redirect to sign in is an error).
Every response time is appended to ``BENCH_SAMPLES`` so ``load.py`` can take percentiles over
all its slices together.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path
from typing import Any, ClassVar

from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).parent))
from loopback import keep_cookies

PLAN: dict[str, Any] = json.loads(open(os.environ["BENCH_PLAN"]).read())  # noqa: SIM115
TARGET = os.environ.get("BENCH_TARGET", "pages")
SAMPLES = open(os.environ["BENCH_SAMPLES"], "a")  # noqa: SIM115 - open while locust runs


@events.request.add_listener
def _record(name: str, response_time: float, exception: BaseException | None, **_: Any) -> None:
    SAMPLES.write(f"{name}\t{response_time:.2f}\t{'error' if exception else 'ok'}\n")


@events.quitting.add_listener
def _close(**_: Any) -> None:
    SAMPLES.close()


class Person(HttpUser):
    abstract = True
    role: ClassVar[str] = ""
    wait_time = between(*PLAN["think_seconds"])
    taken: ClassVar[int] = 0

    def on_start(self) -> None:
        sessions = PLAN["roles"][self.role]["sessions"]
        cookies = sessions[type(self).taken % len(sessions)]
        type(self).taken += 1
        for name, value in cookies.items():
            self.client.cookies.set(name, value)
        # As the platform's load balancer forwards them: the portal was reached over HTTPS.
        self.client.headers.update(PLAN["headers"])
        pages = PLAN["roles"][self.role]["pages"]
        self.pages = [page["url"] for page in pages]
        self.weights = [page["weight"] for page in pages]
        self.names = {page["url"]: page["name"] for page in pages}
        # People arrive at their own moments, not all on the same second: each begins after a
        # pause of its own, so a turn does not open with twenty requests at once.
        self.wait()

    @task
    def visit(self) -> None:
        if TARGET == "static":
            url, name = PLAN["static"], "static file"
        else:
            url = random.choices(self.pages, self.weights)[0]  # noqa: S311 - not a secret
            name = self.names[url]
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            keep_cookies(self.client)
            if response.status_code != 200:
                response.failure(f"{response.status_code} {response.headers.get('Location', '')}")


class Officer(Person):
    role = "officer"
    weight = PLAN["roles"]["officer"]["users"]


class Finance(Person):
    role = "finance"
    weight = PLAN["roles"]["finance"]["users"]


class PanelMember(Person):
    role = "panel"
    weight = PLAN["roles"]["panel"]["users"]


class Mentor(Person):
    role = "mentor"
    weight = PLAN["roles"]["mentor"]["users"]


class GroupMember(Person):
    role = "member"
    weight = PLAN["roles"]["member"]["users"]
