"""Writes of the risk tool, one module per what they write: households, identifications,
referrals (outcomes and shares), reviews, instrument versions. Callers import from the modules;
calibration writes are in risk.calibration.services."""
