from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from core.files import register_protected_file
        from reports.models import InspectionPhoto

        register_protected_file("inspection-photo", InspectionPhoto, "image", photo_type)


def photo_type(photo: object) -> str:
    """A photo's type by its extension: PNG or JPEG were checked by content on upload."""
    from pathlib import PurePath

    from core.uploads import KINDS

    extension = PurePath(photo.image.name).suffix.lower()  # type: ignore[attr-defined]
    content_type = KINDS.get(extension, ("application/octet-stream", b""))[0]
    return content_type if content_type in ("image/png", "image/jpeg") else ""
