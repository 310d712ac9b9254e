"""Placeholder: being written. Every view here must be replaced before this lands."""


def book(request, *args, **kwargs):
    raise NotImplementedError


def waiting_list_join(request, *args, **kwargs):
    raise NotImplementedError


def booking_cancel(request, *args, **kwargs):
    raise NotImplementedError


def waiting_list_leave(request, *args, **kwargs):
    raise NotImplementedError


def waiting_list_claim(request, *args, **kwargs):
    raise NotImplementedError


def my_training(request, *args, **kwargs):
    raise NotImplementedError


def approvals(request, *args, **kwargs):
    raise NotImplementedError


def approval_decide(request, *args, **kwargs):
    raise NotImplementedError


def team_training(request, *args, **kwargs):
    raise NotImplementedError
