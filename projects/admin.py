from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from projects.choices import FundsStatus
from projects.models import Blocker, Document, FundsRecord, Industry, Lead, Project


@admin.register(Industry)
class IndustryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "parent", "is_leading", "is_active"]
    list_filter = ["is_leading", "is_active"]


@admin.register(Lead)
class LeadAdmin(SimpleHistoryAdmin):
    list_display = ["company_name", "project_name", "unit", "status", "received_on"]
    list_filter = ["status", "source"]
    search_fields = ["company_name", "project_name"]


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "unit", "stage", "contract_amount_wan"]
    list_filter = ["stage", "category"]
    search_fields = ["code", "name", "investor"]


admin.site.register(Document, SimpleHistoryAdmin)
admin.site.register(Blocker, SimpleHistoryAdmin)


@admin.register(FundsRecord)
class FundsRecordAdmin(SimpleHistoryAdmin):
    """A verified record is read-only here too (and the database refuses changes)."""

    list_display = ["project", "period", "kind", "amount_wan", "status", "flagged"]
    list_filter = ["status", "kind", "flagged"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.status == FundsStatus.VERIFIED:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
