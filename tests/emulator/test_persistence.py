"""The store on disk: shared by several Emulator instances in turn, the business clock persisted
beside it, corrupt files refused clearly, and 16 concurrent clients on the threaded server
leaving a consistent store."""

from __future__ import annotations

import json
import threading

import httpx
import pytest

from livesnap_reconcile.emulator import Clock, Emulator, Faults, StoreError, serve
from tests.emulator.conftest import NOW
from tests.emulator.helpers import Caller, ice_template, tc_template


def test_instances_on_one_dir_see_each_others_writes(tmp_path):
    first = Emulator(data_dir=tmp_path, faults=Faults(default_limits=False))
    template_id = tc_template(Caller(first))
    second = Emulator(data_dir=tmp_path)
    second.tencent_update_template(template_id, Width=320)
    assert [t["Width"] for t in first.tencent_templates()] == [320]
    another = tc_template(Caller(first), "second")
    assert another != template_id  # ids come from the persisted counter, never reused
    assert json.loads((tmp_path / "store.json").read_text())["tencent"]["templates"][str(another)]["TemplateName"] == "second"


def test_business_clock_is_shared_through_the_dir(tmp_path):
    writer = Emulator(data_dir=tmp_path)
    writer.clock.set(NOW)
    reader = Emulator(data_dir=tmp_path)
    assert reader.clock.now() == NOW
    Clock(path=tmp_path / "clock.json").advance(7200)
    assert writer.clock.now() == NOW + 7200 and reader.clock.frozen


def test_corrupt_store_is_refused_with_a_clear_error(tmp_path):
    (tmp_path / "store.json").write_text("{not json")
    with pytest.raises(StoreError, match="not readable JSON"):
        Emulator(data_dir=tmp_path)


def test_sixteen_concurrent_clients_do_not_corrupt_the_store(tmp_path):
    emu = Emulator(data_dir=tmp_path, clock=Clock(NOW), faults=Faults(default_limits=False))
    emu.set_stream_offline("rtmp://push.example.com/live/a")
    template = ice_template(Caller(emu))
    server = serve(emu)
    errors: list[BaseException] = []

    def client(n: int) -> None:
        caller = Caller(emu)
        try:
            with httpx.Client(base_url=server.url) as http:
                for i in range(10):
                    req = caller.ice_request("SubmitLiveSnapshotJob", JobName=f"c{n}-{i}", TemplateId=template,
                                             StreamInput={"Type": "rtmp", "Url": "rtmp://push.example.com/live/a"},
                                             SnapshotOutput={"Bucket": "b", "Endpoint": "e", "StorageType": "oss"})
                    assert http.post("/", headers=dict(req.headers), content=req.content).status_code == 200
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    server.shutdown()
    assert errors == []
    names = sorted(j["JobName"] for j in Emulator(data_dir=tmp_path).alibaba_jobs())
    assert names == sorted(f"c{n}-{i}" for n in range(16) for i in range(10))
    assert len({j["JobId"] for j in emu.alibaba_jobs()}) == 160
