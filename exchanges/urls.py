from django.urls import path

from exchanges import views

app_name = "exchanges"

urlpatterns = [
    path("programs/", views.program_list, name="program-list"),
    path("programs/<slug:slug>/", views.program_detail, name="program-detail"),
    path("programs/<slug:slug>/apply/", views.application_create, name="application-create"),
    path("applications/", views.application_list, name="application-list"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application-edit"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application-submit"),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/remove/",
        views.application_attachment_remove,
        name="application-attachment-remove",
    ),
    path(
        "applications/<int:pk>/withdraw/", views.application_withdraw, name="application-withdraw"
    ),
    path("applications/<int:pk>/report/", views.mobility_report, name="mobility-report"),
    path(
        "attachments/<str:kind>/<int:pk>/download/",
        views.attachment_download,
        name="attachment-download",
    ),
    path("review/", views.review_list, name="review-list"),
    path("review/<int:pk>/", views.review_detail, name="review-detail"),
]
