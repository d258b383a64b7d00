from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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
    list_display = ["project", "period", "kind", "amount_wan", "status", "flagged"]
    list_filter = ["status", "kind", "flagged"]
