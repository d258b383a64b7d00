from django.db import models
from django.utils.translation import gettext_lazy as _


class LedgerKind(models.TextChoices):
    """What a ledger holds: one kind of record per file."""

    LEADS = "leads", _("Leads (线索台账)")
    PROJECTS = "projects", _("Projects (项目台账)")
    FUNDS = "funds", _("Funds in place and completed investment (到位资金台账)")


class ImportStatus(models.TextChoices):
    MAPPING = "mapping", _("Columns to map")
    PREVIEWING = "previewing", _("Preview being made")
    PREVIEWED = "previewed", _("Previewed: waiting for confirmation")
    IMPORTING = "importing", _("Importing")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Failed: nothing written")


class RowOutcome(models.TextChoices):
    """What the preview says a row will do."""

    NEW = "new", _("New")
    EXISTING = "existing", _("Matches an existing record (unchanged)")
    DUPLICATE = "duplicate", _("Possible duplicate of a pool lead")
    ERROR = "error", _("Error")
