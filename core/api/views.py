from core.api.serializers import JobSerializer
from core.api.viewsets import ScopedReadOnlyViewSet
from core.models import Job


class JobViewSet(ScopedReadOnlyViewSet):
    """Background jobs: their status and progress (0–100), result or error."""

    queryset = Job.objects.all()
    serializer_class = JobSerializer
