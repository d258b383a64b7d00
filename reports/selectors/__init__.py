"""Figures of the reports: the monthly bulletin (`monthly`), the quarterly review
(`quarterly`), the draw (`draws`), the half-year inspection (`halfyear`) and the year-end
assessment (`annual`)."""

from .monthly import headline, monthly_bulletin
from .quarterly import current_weights, quarterly_review

__all__ = ["current_weights", "headline", "monthly_bulletin", "quarterly_review"]
