"""Reads for the health-records pages, one module per area: `runs` (run history, the month-by-month
trend and the small-number suppression of their counts), `breakdowns`, `review` (the queue and the
decisions a run reuses) and `worklist`. Scoping is the access helpers'; these take what they
return. A selector never imports services."""
