"""Pages of the reports: the monthly bulletin (`monthly`), the quarterly review
(`quarterly`), the draw and its inspections (`draws`), the half-year inspection
(`halfyear`), the year-end assessment (`annual`), the build schedule (`schedule`)."""
