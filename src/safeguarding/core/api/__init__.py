"""The REST API's shared infrastructure: authentication, the view mixin, error translation, the
schema and docs views, and the one router that mounts every app's `<app>.api.urls`."""
