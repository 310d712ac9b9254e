"""Placeholder: being written. Every view here must be replaced before this lands."""


def charges(request, *args, **kwargs):
    raise NotImplementedError


def statistics(request, *args, **kwargs):
    raise NotImplementedError
