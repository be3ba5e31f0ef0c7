"""Placeholder: the member pages of the claims app are being built (issue 10)."""

from django.http import Http404


def py(request, *args, **kwargs):
    raise Http404


def mine(request, *args, **kwargs):
    raise Http404


def new(request, *args, **kwargs):
    raise Http404


def new_claim(request, *args, **kwargs):
    raise Http404


def detail(request, *args, **kwargs):
    raise Http404


def add_documents(request, *args, **kwargs):
    raise Http404


def withdraw(request, *args, **kwargs):
    raise Http404


def new_account(request, *args, **kwargs):
    raise Http404


def letter(request, *args, **kwargs):
    raise Http404


def letter_pdf(request, *args, **kwargs):
    raise Http404
