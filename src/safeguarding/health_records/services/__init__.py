"""Writes for the health-records linkage, one module per job: `storage` (where extracts and
outputs live on disk), `queue` (handing a run to the background worker), `runs` (the run
lifecycle: created, started, failed, saved), `allocation` (which locality and team a child on
the worklist goes to), `worklist` (refreshing it from a run, recording outcomes, reallocating),
`review` (decisions on possible matches) and `retention` (purging named details).

Keyword-only, atomic, each audited. `actor=None` is the system (the background task, the
commands, the demo loader). Callers import from the modules.
"""
