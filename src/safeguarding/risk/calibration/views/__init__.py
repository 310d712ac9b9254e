"""Calibration pages under /risk/calibration/, one module per area: home, vignettes, exercises,
rating, results."""
