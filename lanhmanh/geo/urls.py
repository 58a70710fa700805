from lanhmanh.geo.views import AgencyViews, ResidentialGroupViews

app_name = "geo"
urlpatterns = [*ResidentialGroupViews.urls(), *AgencyViews.urls()]
