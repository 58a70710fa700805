from django.urls import path

from lanhmanh.indicators import views

app_name = "indicators"
urlpatterns = [
    *views.AggregateDeclarationViews.urls(),
    path("aggregatedeclaration/<int:pk>/grid/", views.declaration_grid, name="aggregatedeclaration_grid"),
]
