from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from core.files import register_protected_file
        from reports.models import Finding, InspectionPhoto, Rectification

        register_protected_file("inspection-photo", InspectionPhoto, "image", photo_type)
        # The half-year inspection's files: served to whoever sees the finding.
        register_protected_file("halfyear-finding", Finding, "file", lambda f: f.file_type)
        register_protected_file(
            "halfyear-rectification", Rectification, "file", lambda r: r.file_type
        )


def photo_type(photo: object) -> str:
    """A photo's type by its extension: PNG or JPEG were checked by content on upload."""
    from pathlib import PurePath

    from core.uploads import KINDS

    extension = PurePath(photo.image.name).suffix.lower()  # type: ignore[attr-defined]
    content_type = KINDS.get(extension, ("application/octet-stream", b""))[0]
    return content_type if content_type in ("image/png", "image/jpeg") else ""
