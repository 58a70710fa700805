from django.urls import path

from lanhmanh.enforcement import views

app_name = "enforcement"
urlpatterns = [
    *views.EnforcementCaseViews.urls(),
    path("comparison/", views.comparison_page, name="comparison"),
]
