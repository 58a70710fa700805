from django.urls import path

from lanhmanh.portal import views

app_name = "portal"
urlpatterns = [
    path("tip/", views.tip_form, name="tip_form"),
    path("tip/communes/", views.communes, name="communes"),
    path("status/", views.status, name="status"),
]
