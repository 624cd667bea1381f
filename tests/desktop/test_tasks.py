"""The background runner: every result arrives once on the GUI thread, cancelled ones never,
and tearing a runner down while jobs run neither crashes nor delivers into deleted objects."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QCoreApplication, QThread

from vault_desktop.tasks import Lanes, TaskRunner


def test_each_result_arrives_once_on_the_gui_thread(qtbot):
    runner = TaskRunner(4)
    gui = QThread.currentThread()
    results, threads = [], set()

    def done(value):
        results.append(value)
        threads.add(QThread.currentThread() is gui)

    for i in range(2000):
        runner.submit(lambda i=i: i * 2, on_done=done)
    qtbot.waitUntil(lambda: len(results) == 2000, timeout=20000)
    QCoreApplication.processEvents()
    assert sorted(results) == [i * 2 for i in range(2000)]
    assert threads == {True}
    assert runner.undelivered_count() == 0  # every relay was released after delivery


def test_errors_go_to_on_error_and_cancelled_jobs_say_nothing(qtbot):
    runner = TaskRunner(1)
    gate = threading.Event()
    errors, done = [], []
    runner.submit(gate.wait, 5)  # holds the only thread so the next job is still queued
    cancelled = runner.submit(lambda: "late", on_done=done.append)
    cancelled.cancel()
    runner.submit(lambda: 1 / 0, on_error=errors.append)
    gate.set()
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=5000)
    runner.wait(5000)
    QCoreApplication.processEvents()
    assert isinstance(errors[0], ZeroDivisionError)
    assert done == []
    qtbot.waitUntil(lambda: runner.undelivered_count() == 0, timeout=5000)


def test_a_runner_deleted_while_jobs_run_drops_their_results(qtbot):
    delivered = []
    for _ in range(20):
        lanes = Lanes()
        for _ in range(50):
            lanes.reads.submit(time.sleep, 0.001, on_done=delivered.append)
        lanes.deleteLater()  # the window closing while thumbnails are still being made
        QCoreApplication.processEvents()
    QThread.msleep(200)  # let the orphaned jobs finish and emit into nothing
    QCoreApplication.processEvents()
    # No crash, no "already deleted" error; anything delivered came before the deletion.
    assert all(value is None for value in delivered)
