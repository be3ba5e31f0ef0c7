"""Placeholder: the payments pages of the claims app are being built (issue 10)."""

from django.http import Http404


def py(request, *args, **kwargs):
    raise Http404


def batches(request, *args, **kwargs):
    raise Http404


def returns(request, *args, **kwargs):
    raise Http404


def batch(request, *args, **kwargs):
    raise Http404


def batch_file(request, *args, **kwargs):
    raise Http404
