from lanhmanh.accounts.views import MembershipViews, UserViews

app_name = "accounts"
urlpatterns = [*UserViews.urls(), *MembershipViews.urls()]
