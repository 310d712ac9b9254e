"""Placeholder: being written. Every view here must be replaced before this lands."""


def programme(request, *args, **kwargs):
    raise NotImplementedError


def calendar_feed(request, *args, **kwargs):
    raise NotImplementedError


def course_detail(request, *args, **kwargs):
    raise NotImplementedError


def session_detail(request, *args, **kwargs):
    raise NotImplementedError


def course_admin_list(request, *args, **kwargs):
    raise NotImplementedError


def course_create(request, *args, **kwargs):
    raise NotImplementedError


def course_edit(request, *args, **kwargs):
    raise NotImplementedError


def session_create(request, *args, **kwargs):
    raise NotImplementedError


def session_cancel(request, *args, **kwargs):
    raise NotImplementedError


def training_pool(request, *args, **kwargs):
    raise NotImplementedError
