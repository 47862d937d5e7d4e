"""Placeholder views: being written."""

from django.shortcuts import render


def report_index(request, **kwargs):
    return render(request, "placeholder.html", {"title": "report_index"})


def report_detail(request, **kwargs):
    return render(request, "placeholder.html", {"title": "report_detail"})


def records_csv(request, **kwargs):
    return render(request, "placeholder.html", {"title": "records_csv"})


def summary_csv(request, **kwargs):
    return render(request, "placeholder.html", {"title": "summary_csv"})


def report_xlsx(request, **kwargs):
    return render(request, "placeholder.html", {"title": "report_xlsx"})
