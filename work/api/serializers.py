from rest_framework import serializers

from core.models import Notification


class TodoItemSerializer(serializers.Serializer):
    """One item of the work queue (work.selectors.TodoItem)."""

    kind = serializers.CharField(help_text="What the item is, e.g. `funds_returned`")
    label = serializers.CharField()
    count = serializers.IntegerField()
    severity = serializers.CharField(help_text="`info`, `amber` or `red`")
    link = serializers.CharField(help_text="The page where the person acts, with its filters")
    detail = serializers.CharField(help_text="E.g. the reason a record was returned")


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "link", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were marked read")
