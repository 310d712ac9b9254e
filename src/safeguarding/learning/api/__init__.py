"""The training programme's REST API, mounted under /api/v1/learning/."""
