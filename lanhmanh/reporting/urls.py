from django.urls import path, re_path

from lanhmanh.reporting import views

app_name = "reporting"
urlpatterns = [
    *views.ReportViews.urls(),
    path("report/<int:pk>/save/", views.report_save, name="report_save"),
    path("report/<int:pk>/refresh/", views.report_refresh, name="report_refresh"),
    path("report/<int:pk>/draft/", views.report_draft, name="report_draft"),
    path("report/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("report/<int:pk>/approve/", views.report_approve, name="report_approve"),
    path("report/<int:pk>/return/", views.report_return, name="report_return"),
    path("report/<int:pk>/attach/", views.report_attach, name="report_attach"),
    path("report/<int:pk>/attachment/<int:attachment_pk>/", views.report_attachment, name="report_attachment"),
    path("report/<int:pk>/attachment/<int:attachment_pk>/delete/", views.report_attachment_delete,
         name="report_attachment_delete"),
    path("report/<int:pk>/diff/", views.report_diff, name="report_diff"),
    re_path(r"^report/(?P<pk>[0-9]+)/document\.(?P<extension>docx|pdf|xlsx)$", views.report_document,
            name="report_document"),
    path("completeness/", views.completeness_view, name="completeness"),
    path("report/ad-hoc/", views.report_adhoc, name="report_adhoc"),
]
