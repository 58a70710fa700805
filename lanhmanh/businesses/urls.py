from django.urls import path

from lanhmanh.businesses import views

app_name = "businesses"
urlpatterns = [
    *views.BusinessViews.urls(),
    path("business/<int:pk>/review/", views.review, name="business_review"),
    path("business/review/", views.review_filtered, name="business_review_filtered"),
    *views.CommitmentViews.urls(),
    path("commitment/<int:pk>/scan/", views.commitment_scan, name="commitment_scan"),
    *views.SuspicionViews.urls(),
]
