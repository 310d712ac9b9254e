"""People's part of the synthetic data: partnerships at county or region scale for load and
performance tests (`manage.py generate_synthetic`, in core, calls `generate_synthetic()` and then
every other app's `synthetic.generate` for each county). The same seed gives the same people.
"""

from safeguarding.people.synthetic.counties import (
    COUNTIES,
    MIN_AGENCIES,
    SCALES,
    synthetic_partnership_name,
    synthetic_plan,
)
from safeguarding.people.synthetic.generate import generate_synthetic

__all__ = [
    "COUNTIES",
    "MIN_AGENCIES",
    "SCALES",
    "generate_synthetic",
    "synthetic_partnership_name",
    "synthetic_plan",
]
