"""Calibration exercises: vignettes with an expert level, practitioners' ratings, agreement."""

__all__: list[str] = []
