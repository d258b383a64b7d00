"""What the home page shows: panels that apps above core register in their AppConfig.ready
(core imports none of them), such as the red supervision orders a unit head or a
responsible leader must see and each person's work queue (work.views). A panel takes the
request and gives its template and context, or None to show nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

HomePanel = Callable[[HttpRequest], dict[str, Any] | None]
HOME_PANELS: list[HomePanel] = []


def register_home_panel(panel: HomePanel) -> None:
    if panel not in HOME_PANELS:
        HOME_PANELS.append(panel)


def home_panels(request: HttpRequest) -> list[dict[str, Any]]:
    """The panels shown to this request's user, each a dict with its `template`."""
    shown = (panel(request) for panel in HOME_PANELS)
    return [panel for panel in shown if panel]
