from lanhmanh.support import views, views_incoming

app_name = "support"
urlpatterns = [*views.urlpatterns, *views_incoming.urlpatterns]
