from django.urls import path

from lanhmanh.training import views

app_name = "training"
urlpatterns = [
    *views.TrainingViews.urls(),
    *views.StaffCountViews.urls(),
    path("staff-trained/", views.staff_trained_page, name="staff_trained"),
]
