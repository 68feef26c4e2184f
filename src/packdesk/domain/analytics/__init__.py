"""Analytics definitions: periods and buckets, what the store's queries answer, the formulas
that turn sums into figures, ABC classes, RFM segments, and the report a person reads.

Every formula is written down in docs/analytics.md with the convention it follows.
"""
