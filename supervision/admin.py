from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from supervision.models import SupervisionAnswer, SupervisionOrder


class AnswerInline(admin.TabularInline):
    model = SupervisionAnswer
    extra = 0
    fields = ["answered_at", "answered_by", "text", "evidence", "decision", "decision_reason"]
    readonly_fields = fields


@admin.register(SupervisionOrder)
class SupervisionOrderAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "subject_kind", "matter", "due_on", "level", "status", "issued_on"]
    list_filter = ["level", "status", "subject_kind"]
    search_fields = ["matter", "reason", "unit__name"]
    inlines = [AnswerInline]
