from django.urls import path

from lanhmanh.dashboards import api, views

app_name = "dashboards"
urlpatterns = [
    path("", views.mine, name="mine"),
    # The API's home is /api/dashboard/<code>/ (lanhmanh/urls.py); this copy keeps the app testable on its own.
    path("api/<str:code>/", api.AppDashboardView.as_view(), name="api"),
    path("<str:code>/", views.unit, name="unit"),
    path("<str:code>/indicators/", views.explorer, name="explorer"),
]
