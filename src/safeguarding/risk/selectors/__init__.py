"""Reads of the risk tool, one module per what they read: identifications, reviews, the board's
insight figures and their small-number suppression. Calibration reads are in
risk.calibration.selectors."""
