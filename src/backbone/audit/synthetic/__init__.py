"""Seeded synthetic traffic for trying the audit's analyses and testing them: feedback logs
with a planted A/B effect (:mod:`.ab_traffic`) and series with chosen operational tells on
(:mod:`.tell_series`)."""
