from django.urls import path

from lanhmanh.inspections import views

app_name = "inspections"
urlpatterns = [
    *views.TeamViews.urls(),
    *views.TeamMemberViews.urls(),
    *views.InspectionPlanViews.urls(),
    path("inspectionplan/<int:pk>/propose/", views.plan_propose, name="inspectionplan_propose"),
    path("inspectionplan/<int:pk>/adjust/", views.plan_adjust, name="inspectionplan_adjust"),
    path("inspectionplan/<int:pk>/approve/", views.plan_approve, name="inspectionplan_approve"),
    path("inspectionplan/<int:pk>/reopen/", views.plan_reopen, name="inspectionplan_reopen"),
    *views.InspectionSessionViews.urls(),
    *views.InspectionVisitViews.urls(),
    path("inspectionvisit/<int:pk>/minutes/", views.minutes_scan, name="inspectionvisit_minutes"),
    path("coverage/", views.coverage_page, name="coverage"),
]
