"""Writing the synthetic rows in batches, with the timestamps they were given."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field


@dataclass
class Output:
    """Rows waiting to be written and counts of rows written."""

    batch_size: int
    counts: Counter = field(default_factory=Counter)

    def write(self, model, rows: Sequence) -> None:
        model.objects.bulk_create(rows, batch_size=self.batch_size)
        self.counts[model._meta.label_lower] += len(rows)


@contextlib.contextmanager
def timestamps_as_given(*fields) -> Iterator[None]:
    """Let bulk_create keep historic timestamps (created_at, joined_at, submitted_at) instead
    of stamping every row with now: auto_now_add is switched off for the duration."""
    saved = [(f, f.auto_now_add) for f in fields]
    try:
        for f, _ in saved:
            f.auto_now_add = False
        yield
    finally:
        for f, value in saved:
            f.auto_now_add = value
