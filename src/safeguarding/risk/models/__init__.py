"""The risk app's models: identifications (and instruments loaded by a partnership) in
identification.py, calibration exercises in calibration.py."""

from .calibration import *  # noqa: F403
from .identification import *  # noqa: F403
