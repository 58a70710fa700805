from django.urls import path

from lanhmanh.tips import views

app_name = "tips"
urlpatterns = [
    *views.TipViews.urls(),
    path("tip/<int:pk>/verify/", views.tip_verify, name="tip_verify"),
    path("tip/<int:pk>/conclude/", views.tip_conclude, name="tip_conclude"),
    path("tip/<int:pk>/extend/", views.tip_extend, name="tip_extend"),
    path("tip/<int:pk>/transfer/", views.tip_transfer, name="tip_transfer"),
    path("tip/<int:pk>/merge/", views.tip_merge, name="tip_merge"),
    path("tip/<int:pk>/reopen/", views.tip_reopen, name="tip_reopen"),
    path("tip/<int:pk>/attach/", views.tip_attach, name="tip_attach"),
    path("tip/<int:pk>/attachment/<int:attachment_pk>/", views.tip_attachment, name="tip_attachment"),
]
