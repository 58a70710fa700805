from django.urls import path

from lanhmanh.community import views

app_name = "community"
urlpatterns = [
    *views.PreventionModelViews.urls(),
    path("preventionmodel/<int:pk>/pause/", views.model_pause, name="preventionmodel_pause"),
    path("preventionmodel/<int:pk>/resume/", views.model_resume, name="preventionmodel_resume"),
    path("preventionmodel/<int:pk>/dissolve/", views.model_dissolve, name="preventionmodel_dissolve"),
    *views.ModelActivityViews.urls(),
]
