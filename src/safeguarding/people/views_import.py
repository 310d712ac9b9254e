from django.shortcuts import render  # noqa


def agency_import(request):
    raise NotImplementedError


def person_import(request):
    raise NotImplementedError
