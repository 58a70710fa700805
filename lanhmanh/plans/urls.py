from django.urls import path, re_path

from lanhmanh.plans import views

app_name = "plans"
urlpatterns = [
    *views.PlanViews.urls(),
    path("plan/<int:pk>/issue/", views.plan_issue, name="plan_issue"),
    path("plan/<int:pk>/start-from/", views.plan_start_from, name="plan_start_from"),
    re_path(r"^plan/(?P<pk>[0-9]+)/document\.(?P<extension>docx|pdf)$", views.plan_document, name="plan_document"),
    *views.PlanSectionViews.urls(),
    *views.TargetViews.urls(),
    *views.TaskViews.urls(),
    path("task/mine/", views.my_tasks_view(), name="my_tasks"),
    *views.TaskUpdateViews.urls(),
    path("taskupdate/<int:pk>/evidence/", views.taskupdate_evidence, name="taskupdate_evidence"),
]
