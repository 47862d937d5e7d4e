"""Placeholder views: being written."""

from django.shortcuts import render


def partner_list(request, **kwargs):
    return render(request, "placeholder.html", {"title": "partner_list"})


def partner_detail(request, **kwargs):
    return render(request, "placeholder.html", {"title": "partner_detail"})


def agreement_list(request, **kwargs):
    return render(request, "placeholder.html", {"title": "agreement_list"})


def agreement_detail(request, **kwargs):
    return render(request, "placeholder.html", {"title": "agreement_detail"})


def document_download(request, **kwargs):
    return render(request, "placeholder.html", {"title": "document_download"})
