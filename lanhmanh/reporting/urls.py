from lanhmanh.reporting import views

app_name = "reporting"
urlpatterns = [*views.ReportViews.urls()]
