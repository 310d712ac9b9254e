"""Placeholder: being written. Every view here must be replaced before this lands."""


def evaluate(request, *args, **kwargs):
    raise NotImplementedError


def results(request, *args, **kwargs):
    raise NotImplementedError
