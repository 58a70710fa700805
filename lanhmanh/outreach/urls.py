from django.urls import path

from lanhmanh.outreach import views

app_name = "outreach"
urlpatterns = [
    *views.CommunicationActivityViews.urls(),
    path("communicationactivity/<int:pk>/attach/", views.activity_attach, name="communicationactivity_attach"),
    path(
        "communicationactivity/<int:pk>/attachment/<int:attachment_pk>/",
        views.activity_attachment,
        name="communicationactivity_attachment",
    ),
    *views.TargetPopulationViews.urls(),
    path("summary/", views.summary_page, name="summary"),
]
