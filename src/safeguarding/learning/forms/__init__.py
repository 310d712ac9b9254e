"""Forms of the learning app, by area."""
