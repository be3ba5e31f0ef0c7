"""Placeholder: the staff pages of the claims app are being built (issue 10)."""

from django.http import Http404


def py(request, *args, **kwargs):
    raise Http404


def queue(request, *args, **kwargs):
    raise Http404


def review(request, *args, **kwargs):
    raise Http404


def decide(request, *args, **kwargs):
    raise Http404


def approve(request, *args, **kwargs):
    raise Http404


def refer(request, *args, **kwargs):
    raise Http404


def medical(request, *args, **kwargs):
    raise Http404


def reopen(request, *args, **kwargs):
    raise Http404


def dashboard(request, *args, **kwargs):
    raise Http404
