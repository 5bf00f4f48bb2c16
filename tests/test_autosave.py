"""Autosave timing, driven by a clock the test moves: no test waits for real time to pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.autosave import AutosavePolicy, Autosaver
from core.sample import full_report
from core.storage import StoreError
from core.store import VERSION_AUTO, VERSION_SAVED, Store


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


# -- the pure policy -----------------------------------------------------------------------------


def test_saves_after_a_pause() -> None:
    a = Autosaver(now=0.0)
    assert not a.due(0.0)
    a.note_edit(10.0)
    assert not a.due(10.5)
    assert a.due(11.0)  # one second of quiet
    a.saved(11.0)
    assert not a.dirty and not a.due(30.0)


def test_continuous_typing_is_saved_within_two_seconds() -> None:
    a = Autosaver(now=0.0)
    k = 0  # tenths of a second since the first keystroke
    a.note_edit(5.0)
    while not a.due(5.0 + k / 10):
        k += 1
        a.note_edit(5.0 + k / 10)  # a keystroke every 100 ms, never a pause
    assert k <= 20


def test_version_every_ten_minutes_of_editing_only() -> None:
    policy = AutosavePolicy()
    a = Autosaver(policy, now=0.0)
    a.note_edit(599.0)
    assert not a.version_due(600.0 - 0.5)
    assert a.version_due(600.0)
    a.saved(600.0, versioned=True)
    assert not a.version_due(1300.0)  # no edits since: no new version
    a.note_edit(1300.0)
    assert a.version_due(1300.0)


def test_failed_save_is_retried_later() -> None:
    a = Autosaver(now=0.0)
    a.note_edit(1.0)
    assert a.due(3.0)
    a.failed(3.0)
    assert a.dirty and not a.due(4.0)
    assert a.due(3.0 + a.policy.retry_seconds)
    assert a.next_check(4.0) == pytest.approx(a.policy.retry_seconds - 1.0)


# -- the Qt driver against a real store ------------------------------------------------------------


@pytest.fixture
def setup(qapp, tmp_path: Path):  # type: ignore[no-untyped-def]
    from gui.autosave import AutosaveDriver

    store = Store.open(tmp_path)
    report = full_report()
    rid = store.create(report)
    clock = Clock()
    messages: list[str] = []
    driver = AutosaveDriver(store, rid, lambda: report, clock=clock)
    driver.reported.connect(messages.append)
    yield store, rid, report, clock, driver, messages
    store.close()


def test_edit_reaches_disk_within_two_seconds(setup) -> None:  # type: ignore[no-untyped-def]
    store, rid, report, clock, driver, messages = setup
    report.texts["text.problems"] = "刚刚输入的文字"
    driver.note_edit({"text.problems"})
    clock.t += 0.5
    driver.tick()
    assert store.load(rid).texts["text.problems"] != "刚刚输入的文字"
    clock.t += 0.5
    driver.tick()
    assert store.load(rid).texts["text.problems"] == "刚刚输入的文字"
    assert messages[-1].startswith("已自动保存")
    assert not driver.dirty


def test_ctrl_s_records_a_named_version(setup) -> None:  # type: ignore[no-untyped-def]
    store, rid, report, _clock, driver, _messages = setup
    report.texts["text.problems"] = "定稿"
    driver.note_edit()
    assert driver.save_now()
    assert store.history(rid)[0].label == VERSION_SAVED
    assert store.load(rid).texts["text.problems"] == "定稿"
    assert not driver.dirty


def test_ten_minutes_of_editing_leave_a_version(setup) -> None:  # type: ignore[no-untyped-def]
    store, rid, report, clock, driver, _messages = setup
    for i in range(700):  # a keystroke a second for ~11.7 minutes, ticks in between
        report.texts["text.problems"] = f"{i}"
        driver.note_edit()
        clock.t += 1.0
        driver.tick()
    labels = [v.label for v in store.history(rid)]
    assert labels.count(VERSION_AUTO) == 1


def test_flush_on_close(setup) -> None:  # type: ignore[no-untyped-def]
    store, rid, report, _clock, driver, _messages = setup
    report.texts["text.problems"] = "关窗前最后一句"
    driver.note_edit()
    assert driver.flush()
    assert store.load(rid).texts["text.problems"] == "关窗前最后一句"


def test_failure_keeps_edits_and_retries(setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store, rid, report, clock, driver, messages = setup
    real_save = store.save

    def full_disk(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise StoreError("无法保存报告文件：磁盘空间不足")

    monkeypatch.setattr(store, "save", full_disk)
    report.texts["text.problems"] = "不能丢"
    driver.note_edit()
    clock.t += 2.0
    driver.tick()
    assert "自动保存失败" in messages[-1] and "磁盘空间不足" in messages[-1]
    assert driver.dirty
    monkeypatch.setattr(store, "save", real_save)
    clock.t += 5.0
    driver.tick()
    assert store.load(rid).texts["text.problems"] == "不能丢"
    assert not driver.dirty


def test_read_only_store_says_so_once(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from gui.autosave import AutosaveDriver

    with Store.open(tmp_path) as holder:
        rid = holder.create(full_report())
        second = Store.open(tmp_path)
        messages: list[str] = []
        driver = AutosaveDriver(second, rid, full_report, clock=Clock())
        driver.reported.connect(messages.append)
        driver.note_edit()
        driver.note_edit()
        assert len(messages) == 1 and "只读" in messages[0]
        assert not driver.save_now()
        second.close()


def test_the_timer_runs_only_while_an_edit_waits(setup) -> None:  # type: ignore[no-untyped-def]
    store, rid, report, clock, driver, messages = setup
    assert not driver.timer.isActive()  # an idle window wakes nobody four times a second
    report.texts["text.problems"] = "一"
    driver.note_edit()
    assert driver.timer.isActive()
    running = driver.timer.timerId()
    driver.note_edit()  # the next keystroke must not restart the count towards the save
    assert driver.timer.timerId() == running
    clock.t += 2.0
    driver.tick()
    assert store.load(rid).texts["text.problems"] == "一" and messages[-1].startswith("已自动保存")
    assert not driver.timer.isActive()
