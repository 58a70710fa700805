from django.urls import path

from lanhmanh.budget import views

app_name = "budget"
urlpatterns = [
    *views.BudgetAllocationViews.urls(),
    *views.ExpenditureViews.urls(),
    path("execution/", views.execution_page, name="execution"),
]
