"""The applier against an in-memory provider and a real local state file.

What we test here: templates before their users and ids resolved at apply time; state written
after every change; failures skip dependents only; an unknown-outcome create is looked up and
adopted instead of duplicated; the pool bound; a stop request skips what has not started.
"""

from __future__ import annotations

import itertools
import threading
import time

from livesnap_reconcile.apply.applier import Applier
from livesnap_reconcile.errors import Invalid, UnknownOutcome
from livesnap_reconcile.plan.model import Action, Change, Plan
from livesnap_reconcile.resources import RemoteObject
from livesnap_reconcile.state import LocalBackend, State

NOW = 1_800_000_000


class FakeProvider:
    name, vendor, endpoint = "css", "tencent", "http://fake.localhost"

    def __init__(self, *, fail_on=(), lose_response_for=(), delay=0.0):
        self.objects: dict[str, dict] = {}
        self.calls: list[tuple[str, str]] = []
        self.fail_on = set(fail_on)
        self.lose = set(lose_response_for)
        self.delay = delay
        self.ids = (str(i) for i in itertools.count(1))
        self.active = 0
        self.max_active = 0
        self._lock = threading.Lock()

    def _enter(self):
        with self._lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        time.sleep(self.delay)
        with self._lock:
            self.active -= 1

    def create(self, kind, attributes):
        self._enter()
        self.calls.append(("create", attributes.get("name") or attributes.get("stream")))
        if attributes.get("stream") in self.fail_on or attributes.get("name") in self.fail_on:
            raise Invalid("refused", code="InvalidParameter", request_id="req-1")
        rid = next(self.ids)
        self.objects[rid] = dict(attributes)
        if attributes.get("stream") in self.lose:
            self.lose.discard(attributes.get("stream"))
            raise UnknownOutcome("connection dropped after send")
        return RemoteObject(kind, self.name, rid, dict(attributes), status="pending")

    def find(self, kind, attributes, *, now, exclude=()):
        self.calls.append(("find", attributes.get("stream")))
        for rid, attrs in self.objects.items():
            if attrs.get("stream") == attributes.get("stream") and rid not in exclude:
                return RemoteObject(kind, self.name, rid, dict(attrs), status="pending")
        return None

    def delete(self, kind, remote_id, attributes):
        self.calls.append(("delete", remote_id))
        self.objects.pop(remote_id, None)

    def close(self):
        pass


def tpl_change():
    return Change("template.t", Action.CREATE, "template", "css", "new", after={"name": "ns-t", "interval": 10})


def task_change(stream, *, template=True):
    after = {"domain": "d", "app": "live", "stream": stream, "start": NOW, "end": NOW + 60,
             "template": {"ref": "template.t"} if template else {"id": "9"}, "scheduled_start": NOW}
    return Change(f"task.{stream}.s[x]", Action.CREATE, "task", "css", "new", after=after,
                  depends_on=("template.t",) if template else ())


def run(tmp_path, plan, provider, **kw):
    backend = LocalBackend(tmp_path / "state.json")
    writes = []
    original = backend.write

    def counting_write(state):
        writes.append(len(state.resources))
        return original(state)

    backend.write = counting_write  # type: ignore[method-assign]
    applier = Applier(backend=backend, state=State.new(), providers={"css": provider}, now=lambda: NOW, **kw)
    return applier.apply(plan), backend, writes


def test_template_first_then_tasks_with_its_id_and_state_written_after_each(tmp_path):
    provider = FakeProvider()
    plan = Plan(changes=(task_change("a"), task_change("b"), tpl_change()))
    report, backend, writes = run(tmp_path, plan, provider)
    assert report.ok
    assert provider.calls[0] == ("create", "ns-t")
    tpl_id = backend.read().resources["template.t"].remote_id
    assert all(provider.objects[e.remote_id]["template"] == {"id": tpl_id}
               for a, e in backend.read().resources.items() if a.startswith("task."))
    assert writes == [1, 2, 3]  # one commit per change
    assert backend.read().serial == 3


def test_failed_template_skips_its_users_but_not_independent_changes(tmp_path):
    provider = FakeProvider(fail_on={"ns-t"})
    plan = Plan(changes=(task_change("a"), task_change("free", template=False), tpl_change()))
    report, backend, _ = run(tmp_path, plan, provider)
    status = {o.address: o.status for o in report.outcomes}
    assert status == {"template.t": "failed", "task.a.s[x]": "skipped", "task.free.s[x]": "ok"}
    failed = report.by_status("failed")[0]
    assert failed.code == "InvalidParameter" and failed.request_id == "req-1"
    assert set(backend.read().resources) == {"task.free.s[x]"}


def test_lost_create_response_is_found_and_adopted_not_duplicated(tmp_path):
    provider = FakeProvider(lose_response_for={"a"})
    report, backend, _ = run(tmp_path, Plan(changes=(task_change("a", template=False),)), provider)
    assert report.ok
    assert [c for c in provider.calls if c[0] == "create"] == [("create", "a")]
    assert len(provider.objects) == 1
    assert backend.read().resources["task.a.s[x]"].remote_id in provider.objects


def test_pool_never_exceeds_parallelism(tmp_path):
    provider = FakeProvider(delay=0.02)
    plan = Plan(changes=tuple(task_change(f"s{i}", template=False) for i in range(12)))
    report, _, _ = run(tmp_path, plan, provider, parallelism=3)
    assert report.ok and len(report.outcomes) == 12
    assert 1 < provider.max_active <= 3


def test_stop_request_skips_changes_not_yet_started(tmp_path):
    stop = threading.Event()
    stop.set()
    provider = FakeProvider()
    report, backend, _ = run(tmp_path, Plan(changes=(task_change("a", template=False),)), provider, stop=stop)
    assert report.interrupted
    assert [o.status for o in report.outcomes] == ["skipped"]
    assert provider.calls == [] and backend.read() is None


class LosingEveryAnswer(FakeProvider):
    """Every create is made and its answer lost; a create waits a moment for a sibling to join it."""

    def __init__(self):
        super().__init__()
        self.sibling_joined = threading.Event()
        self.in_create = 0

    def create(self, kind, attributes):
        with self._lock:
            self.in_create += 1
            if self.in_create > 1:
                self.sibling_joined.set()
        # A create run beside this one would arrive now. Polled, not `Event.wait(0.5)`: a timed
        # condition wait never times out under libfaketime, which runs this suite on other dates.
        for _ in range(50):
            if self.sibling_joined.is_set():
                break
            time.sleep(0.01)
        with self._lock:
            self.in_create -= 1
            rid = next(self.ids)
            self.objects[rid] = dict(attributes)
        raise UnknownOutcome("connection dropped after send")

    def start(self, remote_id):  # pragma: no cover - tasks have no status of their own to settle
        raise AssertionError("not expected")


def test_two_creates_of_one_identity_with_lost_answers_each_record_their_own_object(tmp_path):
    twin = task_change("cam", template=False)
    other = Change("task.cam.twin[x]", Action.CREATE, "task", "css", "new", after=dict(twin.after or {}))
    provider = LosingEveryAnswer()
    report, backend, _ = run(tmp_path, Plan(changes=(twin, other)), provider, parallelism=4)
    assert report.ok, report.outcomes
    recorded = {a: e.remote_id for a, e in backend.read().resources.items()}
    assert sorted(recorded.values()) == sorted(provider.objects)  # two objects, each recorded once
    assert not provider.sibling_joined.is_set()  # one identity: never two creates in flight


def test_a_lookup_that_returns_an_object_recorded_elsewhere_is_refused_not_shared(tmp_path):
    class IgnoresExclude(LosingEveryAnswer):
        def find(self, kind, attributes, *, now, exclude=()):
            return super().find(kind, attributes, now=now)

    twin = task_change("cam", template=False)
    other = Change("task.cam.twin[x]", Action.CREATE, "task", "css", "new", after=dict(twin.after or {}))
    report, backend, _ = run(tmp_path, Plan(changes=(twin, other)), IgnoresExclude(), parallelism=1)
    assert [o.status for o in sorted(report.outcomes, key=lambda o: o.address)] == ["ok", "failed"]
    assert "already records at another address" in report.by_status("failed")[0].message
    assert len(backend.read().resources) == 1


class FakePace:
    """What `make_provider` attaches as ``provider.pace``: a rate and the latency seen so far."""

    def __init__(self, rate, latency):
        self._rate = rate
        self.latency = self
        self.value = latency

    def rate(self):
        return self._rate

    def seconds(self):
        return self.value


def test_default_pool_grows_past_ten_when_rate_times_latency_asks_for_it(tmp_path):
    provider = FakeProvider(delay=0.2)
    provider.pace = FakePace(400.0, 0.05)  # 20 in flight keep the rate; with headroom the pool allows 40
    plan = Plan(changes=tuple(task_change(f"s{i}", template=False) for i in range(30)))
    backend = LocalBackend(tmp_path / "state.json")
    applier = Applier(backend=backend, state=State.new(), providers={"css": provider}, now=lambda: NOW)
    report = applier.apply(plan)
    assert report.ok and len(report.outcomes) == 30
    assert provider.max_active > 10 and applier.peak_workers == 30


def test_default_pool_follows_the_latency_observed_during_the_apply(tmp_path):
    provider = FakeProvider(delay=0.05)
    provider.pace = FakePace(20.0, 0.01)  # needs 0.4 workers: the floor
    at_first_answer = []
    create = provider.create

    def create_then_slow_down(kind, attributes):
        result = create(kind, attributes)
        if not at_first_answer:  # the most that ran at once while the latency was still low
            at_first_answer.append(provider.max_active)
            provider.pace.value = 1.0  # the vendor answers in a second now: 20 x 1 x 2 = 40 workers
        return result

    provider.create = create_then_slow_down
    plan = Plan(changes=tuple(task_change(f"s{i}", template=False) for i in range(30)))
    report, _, _ = run(tmp_path, plan, provider)
    assert report.ok
    assert at_first_answer[0] <= 4 and provider.max_active > 10


def test_explicit_parallelism_wins_over_the_pace(tmp_path):
    provider = FakeProvider(delay=0.05)
    provider.pace = FakePace(400.0, 0.05)
    plan = Plan(changes=tuple(task_change(f"s{i}", template=False) for i in range(12)))
    report, _, _ = run(tmp_path, plan, provider, parallelism=3)
    assert report.ok and provider.max_active <= 3
