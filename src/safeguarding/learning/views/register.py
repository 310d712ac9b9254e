"""Placeholder: being written. Every view here must be replaced before this lands."""


def register(request, *args, **kwargs):
    raise NotImplementedError


def register_print(request, *args, **kwargs):
    raise NotImplementedError
