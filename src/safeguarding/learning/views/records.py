"""Placeholder: being written. Every view here must be replaced before this lands."""


def certificate_verify(request, *args, **kwargs):
    raise NotImplementedError


def training_record(request, *args, **kwargs):
    raise NotImplementedError


def certificate_pdf(request, *args, **kwargs):
    raise NotImplementedError
