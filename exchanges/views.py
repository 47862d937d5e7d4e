"""Placeholder views: being written."""

from django.shortcuts import render


def dashboard(request, **kwargs):
    return render(request, "placeholder.html", {"title": "dashboard"})


def program_list(request, **kwargs):
    return render(request, "placeholder.html", {"title": "program_list"})


def program_detail(request, **kwargs):
    return render(request, "placeholder.html", {"title": "program_detail"})


def application_create(request, **kwargs):
    return render(request, "placeholder.html", {"title": "application_create"})


def application_list(request, **kwargs):
    return render(request, "placeholder.html", {"title": "application_list"})


def application_detail(request, **kwargs):
    return render(request, "placeholder.html", {"title": "application_detail"})


def application_edit(request, **kwargs):
    return render(request, "placeholder.html", {"title": "application_edit"})


def application_submit(request, **kwargs):
    return render(request, "placeholder.html", {"title": "application_submit"})


def application_withdraw(request, **kwargs):
    return render(request, "placeholder.html", {"title": "application_withdraw"})


def mobility_report(request, **kwargs):
    return render(request, "placeholder.html", {"title": "mobility_report"})


def attachment_download(request, **kwargs):
    return render(request, "placeholder.html", {"title": "attachment_download"})


def review_list(request, **kwargs):
    return render(request, "placeholder.html", {"title": "review_list"})


def review_detail(request, **kwargs):
    return render(request, "placeholder.html", {"title": "review_detail"})
