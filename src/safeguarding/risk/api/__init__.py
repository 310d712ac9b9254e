"""The risk tool's REST API under /api/v1/risk/: serializers, views and urls."""
