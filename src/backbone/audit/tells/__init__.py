"""The operational tells of a sycophancy gradient, read from a feedback log and three optional
tables: satisfaction rising while task metrics do not (:mod:`.satisfaction`), power users
churning faster than casual ones (:mod:`.churn`), support tickets shifting from "wrong" to
"vague" or "agreed and I got burned" (:mod:`.tickets`), internal evals pulling away from external
ones (:mod:`.evals`). Each is a trend test (:mod:`.trend`) or a log-rank test on per-period
series (:mod:`.periods`, :mod:`.tables`); :mod:`.decide` corrects the family and switches each
tell on or off; three or more on is the alarm."""
