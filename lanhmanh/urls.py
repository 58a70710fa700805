from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from lanhmanh.budget.api import BudgetExecutionView
from lanhmanh.core import views as core_views
from lanhmanh.core.api import router
from lanhmanh.dashboards.api import DashboardView
from lanhmanh.enforcement.api import ComparisonView
from lanhmanh.indicators.api import IndicatorListView, IndicatorValuesView
from lanhmanh.inspections.api import CoverageView
from lanhmanh.outreach.api import OutreachSummaryView
from lanhmanh.training.api import StaffTrainedView

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("lanhmanh.accounts.urls")),
    path("users/", include("lanhmanh.accounts.people_urls")),
    path("geo/", include("lanhmanh.geo.urls")),
    path("businesses/", include("lanhmanh.businesses.urls")),
    path("inspections/", include("lanhmanh.inspections.urls")),
    path("tips/", include("lanhmanh.tips.urls")),
    path("enforcement/", include("lanhmanh.enforcement.urls")),
    path("outreach/", include("lanhmanh.outreach.urls")),
    path("training/", include("lanhmanh.training.urls")),
    path("community/", include("lanhmanh.community.urls")),
    path("budget/", include("lanhmanh.budget.urls")),
    path("commendations/", include("lanhmanh.commendations.urls")),
    path("support/", include("lanhmanh.support.urls")),
    path("portal/", include("lanhmanh.portal.urls")),
    path("plans/", include("lanhmanh.plans.urls")),
    path("indicators/", include("lanhmanh.indicators.urls")),
    path("dashboard/", include("lanhmanh.dashboards.urls")),
    path("reports/", include("lanhmanh.reporting.urls")),
    path("audit/", include("lanhmanh.core.urls")),
    path("imports/<int:pk>/", core_views.import_job, name="import_job"),
    path("imports/<int:pk>/map/", core_views.import_job_mapping, name="import_job_mapping"),
    path("imports/<int:pk>/errors/", core_views.import_job_errors, name="import_job_errors"),
    path("api/inspection-coverage/", CoverageView.as_view(), name="api-inspection-coverage"),
    path("api/enforcement-comparison/", ComparisonView.as_view(), name="api-enforcement-comparison"),
    path("api/outreach-summary/", OutreachSummaryView.as_view(), name="api-outreach-summary"),
    path("api/staff-trained/", StaffTrainedView.as_view(), name="api-staff-trained"),
    path("api/budget-execution/", BudgetExecutionView.as_view(), name="api-budget-execution"),
    path("api/indicators/", IndicatorListView.as_view(), name="api-indicators"),
    path("api/indicator-values/", IndicatorValuesView.as_view(), name="api-indicator-values"),
    path("api/dashboard/<str:code>/", DashboardView.as_view(), name="api-dashboard"),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

handler403 = "lanhmanh.core.errors.permission_denied"
handler404 = "lanhmanh.core.errors.page_not_found"
handler500 = "lanhmanh.core.errors.server_error"

