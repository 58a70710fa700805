from lanhmanh.commendations import views

app_name = "commendations"
urlpatterns = [*views.CommendationViews.urls()]
