import socket

from celery import shared_task

from core.models import Job


@shared_task(name="core.health_check")
def health_check(job_id: int) -> dict:
    """Proves a worker takes tasks from the broker and writes to the database."""
    job = Job.objects.get(pk=job_id)
    job.mark_running()
    result = {"pong": True, "worker": socket.gethostname()}
    job.mark_succeeded(result)
    return result
