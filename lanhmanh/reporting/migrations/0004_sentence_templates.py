"""The draft sentences every deployment starts with (administrators may change them), in the style of the real
reports (seed 004: "Đội kiểm tra liên ngành 178 … đã tổ chức kiểm tra … được 12 buổi, kiểm tra 72 lượt cơ sở kinh
doanh dịch vụ …"; "đã đấu tranh triệt phá 05 vụ án …, bắt giữ 18 đối tượng; trong đó: Khởi tố 04 bị can, xử phạt
hành chính 14 đối tượng"). Placeholders are the indicator codes of 0002_report_types; {CODE:numerator} and
{CODE:denominator} are the counts behind a ratio, {CODE:change} the change against last year (reporting.drafting).
The business count opens the situation section, as in seed 004; the rest state the results per task group."""

from django.db import migrations

TEMPLATES = [
    # (code, section, order, text)
    ("situation-businesses", "situation", 10,
     "Trên địa bàn có {BUS_MANAGED} cơ sở kinh doanh dịch vụ dễ bị lợi dụng để hoạt động mại dâm thuộc diện "
     "quản lý."),
    ("results-commitments", "results", 10,
     "Tỷ lệ cơ sở kinh doanh dịch vụ ký cam kết không để xảy ra hoạt động mại dâm đạt {BUS_COMMITMENT_PCT} "
     "({BUS_COMMITMENT_PCT:numerator}/{BUS_COMMITMENT_PCT:denominator} cơ sở)."),
    ("results-reviewed", "results", 11,
     "Rà soát, đánh giá {BUS_REVIEWED_PCT:numerator} cơ sở kinh doanh dịch vụ, đạt {BUS_REVIEWED_PCT} số cơ sở "
     "thuộc diện quản lý."),
    ("results-communication", "results", 20,
     "Tổ chức {COMM_ACTIVITIES} hoạt động tuyên truyền về phòng, chống mại dâm với {COMM_PARTICIPANTS} lượt người "
     "tham dự."),
    ("results-communication-communes", "results", 21,
     "Tỷ lệ xã, phường, đặc khu có hoạt động tuyên truyền đạt {COMM_COMMUNES_PCT}."),
    ("results-communication-resgroups", "results", 22,
     "Tỷ lệ tổ dân phố, thôn có hoạt động tuyên truyền đạt {COMM_RESGROUPS_PCT}."),
    ("results-reach-students", "results", 23,
     "Tỷ lệ học sinh, sinh viên được tuyên truyền đạt {REACH_STUDENTS_PCT}."),
    ("results-reach-risk-workers", "results", 24,
     "Tỷ lệ người lao động tại các cơ sở kinh doanh dịch vụ được tuyên truyền đạt {REACH_RISK_WORKERS_PCT}."),
    ("results-reach-iz-workers", "results", 25,
     "Tỷ lệ công nhân khu công nghiệp được tuyên truyền đạt {REACH_IZ_WORKERS_PCT}."),
    ("results-training", "results", 30,
     "Tỷ lệ cán bộ làm công tác phòng, chống mại dâm được tập huấn nâng cao năng lực đạt {STAFF_TRAINED_PCT} "
     "({STAFF_TRAINED_PCT:numerator}/{STAFF_TRAINED_PCT:denominator} người)."),
    ("results-inspection", "results", 40,
     "Đội kiểm tra liên ngành đã tổ chức {INSP_SESSIONS} buổi kiểm tra, kiểm tra {INSP_VISITS} lượt cơ sở kinh "
     "doanh dịch vụ; lập biên bản nhắc nhở {INSP_REMINDERS} cơ sở, đình chỉ kinh doanh {INSP_SUSPENSIONS} cơ sở."),
    ("results-inspection-coverage", "results", 41,
     "Tỷ lệ cơ sở kinh doanh dịch vụ thuộc diện quản lý được kiểm tra đạt {INSP_COVERAGE_PCT} "
     "({INSP_COVERAGE_PCT:numerator}/{INSP_COVERAGE_PCT:denominator} cơ sở)."),
    ("results-inspection-fines", "results", 42,
     "Tổng số tiền xử phạt vi phạm hành chính qua kiểm tra là {INSP_FINES_VND}."),
    ("results-tips", "results", 50,
     "Tiếp nhận {TIPS_RECEIVED} tin báo, tố giác, phản ánh, kiến nghị liên quan đến hoạt động mại dâm."),
    ("results-tips-on-time", "results", 51,
     "Tỷ lệ tin báo, tố giác được giải quyết đúng hạn đạt {TIPS_ON_TIME_PCT}."),
    ("results-cases", "results", 60,
     "Đấu tranh triệt phá {CASES_CRIMINAL} vụ án liên quan đến mại dâm, bắt giữ {PEOPLE_ARRESTED} đối tượng; "
     "trong đó: khởi tố {PEOPLE_PROSECUTED} bị can, xử phạt hành chính {PEOPLE_FINED_ADMIN} đối tượng."),
    ("results-cases-change", "results", 61,
     "So với cùng kỳ năm trước, số vụ án liên quan đến mại dâm được phát hiện {CASES_CRIMINAL:change}."),
    ("results-models", "results", 70,
     "Duy trì {MODELS_ACTIVE} mô hình, câu lạc bộ phòng, chống mại dâm tại cộng đồng."),
    ("results-support", "results", 80,
     "Rà soát {SUPPORT_IN_NEED} người bán dâm có nhu cầu hỗ trợ; tỷ lệ người có nhu cầu được tiếp cận các dịch vụ "
     "hỗ trợ (giảm hại, chăm sóc sức khỏe, tư vấn, trợ giúp pháp lý, học nghề, việc làm) đạt {SUPPORT_REACHED_PCT}."),
    ("results-budget", "results", 90,
     "Kinh phí thực hiện công tác phòng, chống mại dâm được giao {BUDGET_ALLOCATED_VND}; đã chi {BUDGET_SPENT_VND}, "
     "đạt {BUDGET_EXECUTION_PCT} kinh phí được giao."),
]


def create(apps, schema_editor):
    SentenceTemplate = apps.get_model("reporting", "SentenceTemplate")
    for code, section, order, text in TEMPLATES:
        SentenceTemplate.objects.get_or_create(code=code, defaults={"section": section, "order": order, "text": text})


def remove(apps, schema_editor):
    SentenceTemplate = apps.get_model("reporting", "SentenceTemplate")
    SentenceTemplate.objects.filter(code__in=[code for code, *_rest in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0003_report_content")]

    operations = [migrations.RunPython(create, remove)]
