from lanhmanh.core.views import AccessLogViews

app_name = "core"
urlpatterns = [*AccessLogViews.urls()]
