"""Pages of the reports: the monthly bulletin (`monthly`), the quarterly review
(`quarterly`), the draw and its inspections (`draws`), the build schedule (`schedule`)."""
