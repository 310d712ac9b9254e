"""Pages for children missing from health records, one module per area: `runs` (history, trend,
starting a run, its page, import reports and output files), `breakdowns`, `review` and
`worklist`. Thin: access helpers decide who sees what, services write, selectors read. Every
page that shows a named child records the read."""
