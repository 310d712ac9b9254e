"""Reads of the risk tool, one module per what they read: identifications, reviews, the board's
insight figures (suppressed by safeguarding.core.suppression). Calibration reads are in
risk.calibration.selectors."""
