"""Figures of the reports: the monthly bulletin (`monthly`), the quarterly review
(`quarterly`) and the draw (`draws`)."""

from .monthly import headline, monthly_bulletin

__all__ = ["headline", "monthly_bulletin"]
