"""Placeholder: being written. Every view here must be replaced before this lands."""


def practice_groups(request, *args, **kwargs):
    raise NotImplementedError


def meeting_detail(request, *args, **kwargs):
    raise NotImplementedError


def meeting_create(request, *args, **kwargs):
    raise NotImplementedError


def conference_list(request, *args, **kwargs):
    raise NotImplementedError


def conference_detail(request, *args, **kwargs):
    raise NotImplementedError
