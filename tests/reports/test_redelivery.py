"""A worker killed while building the bulletin: the task is redelivered and the snapshot is
complete and identical (issue 7, "Idempotence").

Real `celery -A config worker` processes on the real Redis broker and the test database.
The build waits half way (its job running at 20%) while a gate file exists (the test hook
REPORTS_BUILD_GATE of reports.tasks), so the kill lands at a known point; the workers run
with a visibility timeout of a few seconds (CELERY_VISIBILITY_TIMEOUT in config.settings)
instead of two hours."""

import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction

from core.jobs import job_start
from core.models import Job, JobStatus
from reports.models import Report
from reports.services import report_build
from reports.tasks import JOB_KIND_MONTHLY, build_monthly_bulletin
from tests.reports.county import add_key_projects_and_warnings, build_county

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
JUNE = dt.date(2026, 6, 1)
VISIBILITY_TIMEOUT = 4  # seconds
STARTUP = 60  # seconds for a worker to start and take the task
# kombu's keys on the broker: the default queue (and its priority lists), unacked messages
BROKER_KEYS = ("celery", "unacked", "unacked_index", "unacked_mutex")


@pytest.fixture
def broker():
    """The test broker, emptied of queued and unacknowledged tasks before and after."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)

    def empty():
        keys = [k for k in client.scan_iter(match="celery*") if not k.startswith(b"celery-")]
        client.delete(*BROKER_KEYS, *keys)

    empty()
    yield client
    empty()


@pytest.fixture
def county(unit_a, unit_b, bureau_unit):
    build_county(unit_a, unit_b)
    add_key_projects_and_warnings(unit_a, unit_b)


@pytest.fixture
def expected(county, bureau_user):
    """The figures of a build done directly with report_build (rolled back: no report)."""
    with transaction.atomic():
        figures = report_build(period=JUNE, user=bureau_user).figures
        transaction.set_rollback(True)
    assert not Report.objects.exists()
    assert figures["funds"]["cumulative_wan"] == "4100.00"  # tests/reports/test_bulletin.py
    return figures


class Workers:
    """`celery worker` subprocesses (each in its own process group), all killed at the end."""

    def __init__(self, tmp_path: Path, gate: Path):
        db = connection.settings_dict
        auth = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            auth += ":" + quote(db["PASSWORD"], safe="")
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            # the test database, which this transactional test commits to
            "DATABASE_URL": (
                f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
            ),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "REPORTS_BUILD_GATE": str(gate),
            "PYTHONUNBUFFERED": "1",
        }
        self.tmp_path = tmp_path
        self.processes: list[tuple[subprocess.Popen, Path]] = []

    def start(self) -> subprocess.Popen:
        number = len(self.processes) + 1
        log = self.tmp_path / f"worker{number}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--pool=prefork",
                    "--concurrency=1",
                    "--loglevel=INFO",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "-Q",
                    "celery",
                    "-n",
                    f"redelivery{number}-{os.getpid()}@%h",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: killed with its pool
            )
        self.processes.append((process, log))
        return process

    def logs(self) -> str:
        return "\n".join(
            f"--- {log.name} ---\n{log.read_text(errors='replace')[-4000:]}"
            for _, log in self.processes
        )

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL the worker and its pool processes, as when its machine dies."""
        with contextlib.suppress(ProcessLookupError):  # the group, even if its leader is gone
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def kill_all(self) -> None:
        for process, _ in self.processes:
            self.kill(process)


@pytest.fixture
def gate(tmp_path):
    path = tmp_path / "gate"
    path.touch()
    yield path
    path.unlink(missing_ok=True)


@pytest.fixture
def workers(tmp_path, gate, broker):
    workers = Workers(tmp_path, gate)
    try:
        yield workers
    finally:
        workers.kill_all()


def wait_for(condition, what: str, workers: Workers, timeout: float = STARTUP):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        for process, log in workers.processes:
            if process.returncode is None and process.poll() is not None:
                pytest.fail(f"{log.name} exited ({process.returncode})\n{workers.logs()}")
        time.sleep(0.1)
    pytest.fail(f"Timed out waiting for {what}\n{workers.logs()}")


def job_status(job: Job) -> tuple[str, int]:
    job.refresh_from_db()
    return job.status, job.progress


def pool_children(pid: int) -> list[int]:
    """The pids whose parent is pid (the prefork pool processes)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def start_gated_build(bureau_user, workers: Workers) -> tuple[Job, subprocess.Popen]:
    job = job_start(
        kind=JOB_KIND_MONTHLY,
        task=build_monthly_bulletin,
        created_by=bureau_user,
        params={"period": "2026-06"},
    )
    worker = workers.start()
    wait_for(
        lambda: job_status(job) == (JobStatus.RUNNING, 20), "the build to run half way", workers
    )
    time.sleep(0.5)  # still there: the build waits at the gate
    assert job_status(job) == (JobStatus.RUNNING, 20)
    assert not Report.objects.exists()
    return job, worker


def assert_one_complete_draft(job: Job, expected: dict) -> None:
    job.refresh_from_db()
    assert (job.status, job.progress, job.error) == (JobStatus.SUCCEEDED, 100, "")
    report = Report.objects.get(kind="monthly", period=JUNE)  # exactly one
    assert (report.status, report.version, report.job_id) == ("draft", 1, job.pk)
    assert job.result == {"report_id": report.pk, "version": 1}
    assert report.figures == expected
    assert report.figures["funds"]["cumulative_wan"] == "4100.00"
    assert sorted(p["code"] for p in report.figures["key_projects"]) == ["A1", "K1"]


def test_worker_killed_halfway_the_task_is_redelivered_to_a_new_worker(
    expected, bureau_user, workers, gate, broker
):
    job, first = start_gated_build(bureau_user, workers)
    # the message is out of the queue, held unacknowledged by the worker (acks_late)
    assert broker.hlen("unacked") == 1 and broker.llen("celery") == 0

    workers.kill(first)  # the whole worker, pool included: nothing rejects the message
    assert first.returncode == -signal.SIGKILL
    assert job_status(job) == (JobStatus.RUNNING, 20)
    assert broker.hlen("unacked") == 1  # left behind, to be restored after the timeout
    assert not Report.objects.exists()

    gate.unlink()
    workers.start()
    wait_for(
        lambda: job_status(job)[0] in (JobStatus.SUCCEEDED, JobStatus.FAILED),
        "the redelivered build to finish",
        workers,
        timeout=STARTUP + VISIBILITY_TIMEOUT,
    )
    assert_one_complete_draft(job, expected)
    assert "reports.build_monthly_bulletin" in (workers.tmp_path / "worker2.log").read_text()
    assert broker.hlen("unacked") == 0 and broker.llen("celery") == 0  # acknowledged
    time.sleep(VISIBILITY_TIMEOUT + 1)  # no further delivery after the timeout
    assert Report.objects.count() == 1 and broker.hlen("unacked") == 0


def test_pool_process_killed_halfway_the_task_is_requeued(
    expected, bureau_user, workers, gate, broker
):
    job, worker = start_gated_build(bureau_user, workers)
    (child,) = pool_children(worker.pid)
    os.kill(child, signal.SIGKILL)  # e.g. the OOM killer: the worker sees its pool process die
    wait_for(lambda: child not in pool_children(worker.pid), "the pool process to go", workers)
    gate.unlink()
    wait_for(
        lambda: job_status(job)[0] in (JobStatus.SUCCEEDED, JobStatus.FAILED),
        "the requeued build to finish",
        workers,
    )
    assert worker.poll() is None  # the same worker ran it again, in a new pool process
    assert "WorkerLostError" in workers.logs()
    assert_one_complete_draft(job, expected)
