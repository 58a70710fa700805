"""The two real plans of the seeds, as data: seed 002 (Hải Dương province, 2023) and seed 003 (Bạch Đằng ward of Hải
Phòng, 2026). Tests build them through the models to prove every target and task can be expressed; the demo models
the province's 2026 plan on seed 002 and a ward's on seed 003.

Targets: (text, indicator code or "" for a qualitative target, comparison, kind, value).
Tasks: (group, title, lead agency key, cooperating agency keys, recurrence, deadline "dd/mm" or "").
Agency keys are geo.AgencyType codes ("labour" is the former Sở LĐTBXH of 2023, whose work passed to Sở Y tế on
1/3/2025 — DOMAIN.md §1)."""

from lanhmanh.plans.models import Comparison, Recurrence, TargetKind, TaskGroup

GTE, LTE, EQ = Comparison.GTE, Comparison.LTE, Comparison.EQ
VALUE, CHANGE = TargetKind.VALUE, TargetKind.CHANGE
G = TaskGroup
MONTHLY, QUARTERLY, NONE = Recurrence.MONTHLY, Recurrence.QUARTERLY, ""

SEED_002 = {
    "year": 2023,
    "title": "Phòng, chống mại dâm năm 2023",
    "issuing_body": "Ủy ban nhân dân tỉnh Hải Dương",
    "signer_title": "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
    "legal_bases": [
        "Quyết định số 1629/QĐ-TTg ngày 28/9/2021 của Thủ tướng Chính phủ về việc phê duyệt Chương trình phòng, "
        "chống mại dâm giai đoạn 2021 – 2025",
        "Quyết định số 808/QĐ-LĐTBXH ngày 05/9/2022 của Bộ Lao động – Thương binh và Xã hội ban hành Kế hoạch tổng "
        "thể thực hiện Chương trình phòng, chống mại dâm giai đoạn 2021 – 2025",
        "Nghị quyết số 05/NQ-HĐND ngày 29/4/2022 của Hội đồng nhân dân tỉnh Hải Dương",
        "Kế hoạch số 1379/KH-UBND của Ủy ban nhân dân tỉnh về công tác phòng, chống mại dâm giai đoạn 2022 - 2025",
    ],
    "objectives": "Tăng cường phòng ngừa, tiến tới đẩy lùi tệ nạn mại dâm dưới mọi hình thức; tăng cường sự đồng "
    "thuận, quyết tâm và chuyển biến mạnh mẽ về nhận thức, hành động của các cấp, các ngành, các tổ chức chính trị - "
    "xã hội và cộng đồng trong công tác phòng, chống mại dâm; tăng cường khả năng tiếp cận, sử dụng các dịch vụ xã "
    "hội của người bán dâm, tạo cơ hội giúp người bán dâm hòa nhập cộng đồng.",
    "sections": [
        ("Kinh phí thực hiện", "Do ngân sách nhà nước đảm bảo trong dự toán ngân sách hàng năm của các Sở, ban, "
         "ngành, Ủy ban nhân dân các huyện, thành phố, thị xã theo phân cấp quản lý ngân sách Nhà nước hiện hành; "
         "nguồn tài trợ, huy động của các tổ chức, cá nhân trong, ngoài nước và các nguồn vốn hợp pháp khác."),
        ("Tổ chức thực hiện", "Các sở, ban, ngành, đoàn thể liên quan, Ủy ban nhân dân các huyện, thị xã, thành phố "
         "xây dựng kế hoạch triển khai thực hiện và định kỳ báo cáo Ban chỉ đạo 138 tỉnh (qua Sở Lao động - Thương "
         "binh và Xã hội) 6 tháng (trước ngày 15/6), 01 năm (trước ngày 15/12)."),
    ],
    "agencies": {
        "labour": ("social_work", "Sở Lao động - Thương binh và Xã hội"),
        "police": ("police", "Công an tỉnh"),
        "health": ("health", "Sở Y tế"),
        "finance": ("finance", "Sở Tài chính"),
        "culture": ("culture", "Sở Văn hóa, Thể thao và Du lịch"),
        "information": ("science_technology", "Sở Thông tin và Truyền thông"),
        "education": ("education", "Sở Giáo dục và Đào tạo"),
        "justice": ("justice", "Sở Tư pháp"),
        "radio_tv": ("radio_tv", "Đài Phát thanh truyền hình tỉnh Hải Dương"),
        "procuracy": ("procuracy", "Viện Kiểm sát nhân dân tỉnh"),
        "court": ("court", "Tòa án nhân dân tỉnh"),
        "fatherland_front": ("fatherland_front", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
        "womens_union": ("womens_union", "Hội Liên hiệp phụ nữ tỉnh"),
        "youth_union": ("youth_union", "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh"),
    },
    "targets": [
        ("100% các huyện, thị xã, thành phố xây dựng kế hoạch và tổ chức thực hiện các hoạt động phòng, chống tệ nạn "
         "mại dâm", "", EQ, VALUE, 100),
        ("100% các huyện, thị xã, thành phố lồng ghép nhiệm vụ phòng, chống tệ nạn mại dâm với các chương trình phát "
         "triển kinh tế - xã hội, an sinh, phòng, chống ma túy, HIV/AIDS", "", EQ, VALUE, 100),
        ("100% tố giác, tin báo, khiếu nại hành vi vi phạm pháp luật về phòng, chống mại dâm được tiếp nhận, xác "
         "minh, phân loại, xử lý kịp thời", "TIPS_ON_TIME_PCT", EQ, VALUE, 100),
        ("Tăng 3% (so với năm 2022) số tội phạm liên quan đến mại dâm được xử lý theo quy định của pháp luật",
         "CASES_CRIMINAL", GTE, CHANGE, 3),
        ("Tổ chức kiểm tra ít nhất 20% số cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm trên địa bàn",
         "INSP_COVERAGE_PCT", GTE, VALUE, 20),
        ("100% số xã, phường, thị trấn tổ chức được ít nhất một hình thức tuyên truyền về phòng ngừa mại dâm và được "
         "duy trì thường xuyên", "COMM_COMMUNES_PCT", EQ, VALUE, 100),
        ("Ít nhất 30% đội ngũ cán bộ, công chức, viên chức, chiến sĩ cấp tỉnh được đào tạo, bồi dưỡng, tập huấn "
         "nâng cao năng lực về công tác phòng, chống mại dâm", "STAFF_TRAINED_PCT", GTE, VALUE, 30),
        ("Ít nhất 20% đội ngũ cán bộ ở cấp huyện, cấp xã, các cơ quan, tổ chức có liên quan được đào tạo, bồi "
         "dưỡng, tập huấn", "STAFF_TRAINED_PCT", GTE, VALUE, 20),
        ("Phấn đấu 20% người lao động tại các cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm được tuyên "
         "truyền, phổ biến chính sách, pháp luật", "REACH_RISK_WORKERS_PCT", GTE, VALUE, 20),
        ("Phấn đấu 20% người lao động trong các khu công nghiệp được tuyên truyền, phổ biến chính sách, pháp luật",
         "REACH_IZ_WORKERS_PCT", GTE, VALUE, 20),
        ("Phấn đấu 30% học sinh, sinh viên các trường trung học phổ thông, cơ sở giáo dục đại học và giáo dục nghề "
         "nghiệp được tuyên truyền về phòng, chống tệ nạn mại dâm", "REACH_STUDENTS_PCT", GTE, VALUE, 30),
        ("90% người bán dâm có nhu cầu và đủ điều kiện được tiếp cận, sử dụng các dịch vụ hỗ trợ xã hội, hòa nhập "
         "cộng đồng", "SUPPORT_REACHED_PCT", GTE, VALUE, 90),
        ("Thông tin về phòng, chống mại dâm được đăng tải thường xuyên trên cơ quan báo chí cấp tỉnh ít nhất một "
         "tháng một lần", "", GTE, VALUE, None),
    ],
    "tasks": [
        (G.COMMUNICATION, "Truyền thông về chủ trương, chính sách của Đảng, Nhà nước đối với công tác phòng, chống "
         "mại dâm; giảm kỳ thị, phân biệt đối xử của cộng đồng đối với người bán dâm", "labour",
         ["information", "radio_tv"], NONE, ""),
        (G.COMMUNICATION, "Tăng cường tuyên truyền phòng ngừa đến toàn xã hội, chú trọng các địa phương có khu công "
         "nghiệp nơi nhiều người di cư đến", "labour", ["information", "womens_union", "youth_union"], NONE, ""),
        (G.COMMUNICATION, "Thông tin, truyền thông định kỳ về tình hình tệ nạn mại dâm, công tác phòng, chống mại dâm "
         "trên các phương tiện thông tin đại chúng, ít nhất một tháng một lần", "information", ["radio_tv", "labour"],
         MONTHLY, ""),
        (G.COMMUNICATION, "Đổi mới cách thức, nội dung truyền thông qua mạng Internet, mạng xã hội và truyền thông "
         "trực tiếp tại khu công nghiệp, trường học", "labour", ["education", "youth_union"], NONE, ""),
        (G.INTEGRATED, "Rà soát, đánh giá, dự báo nhu cầu của người bán dâm có khó khăn, thanh niên chưa có việc làm, "
         "người lao động tại cơ sở kinh doanh dịch vụ và khu công nghiệp", "labour", ["womens_union"], NONE, ""),
        (G.INTEGRATED, "Lồng ghép hỗ trợ người bán dâm tìm kiếm việc làm trong các chương trình đào tạo nghề, tìm "
         "việc làm, vay vốn, giảm nghèo", "labour", ["womens_union", "fatherland_front"], NONE, ""),
        (G.INTEGRATED, "Lồng ghép kế hoạch phòng, chống mại dâm với chương trình an sinh xã hội, phòng, chống ma "
         "túy, HIV/AIDS, mua bán người", "labour", ["health", "police"], NONE, ""),
        (G.INSPECTION, "Xây dựng cơ chế phối hợp, quy trình tiếp nhận thông tin, điều tra, xử lý vi phạm pháp luật về "
         "phòng, chống mại dâm; thiết lập cơ chế liên ngành", "labour", ["police", "justice"], NONE, ""),
        (G.INSPECTION, "Kiện toàn, thành lập Đội kiểm tra liên ngành phòng, chống mại dâm (Đội 178) cấp tỉnh, cấp "
         "huyện theo Nghị định 178/2004/NĐ-CP", "labour", ["police", "culture", "health"], NONE, "30/06"),
        (G.INSPECTION, "Kiểm tra, quản lý chặt chẽ điều kiện hoạt động của cơ sở kinh doanh dịch vụ dễ phát sinh "
         "tệ nạn mại dâm; xử lý nghiêm cơ sở vi phạm", "labour", ["police", "culture", "health"], QUARTERLY, ""),
        (G.SUPPRESSION, "Điều tra, khám phá các vụ án, triệt phá tổ chức phạm tội liên quan đến mại dâm; truy quét "
         "tụ điểm mại dâm công cộng; chú trọng mua bán người, mại dâm trẻ em", "police", ["procuracy", "court"],
         NONE, ""),
        (G.SUPPRESSION, "Phối hợp với Viện Kiểm sát, Tòa án lựa chọn chỉ đạo điều tra, truy tố, xét xử điểm một số vụ "
         "án nghiêm trọng", "police", ["procuracy", "court"], NONE, ""),
        (G.SUPPORT, "Nhân rộng các mô hình thí điểm có hiệu quả của giai đoạn 2016-2020; hỗ trợ nhóm đồng đẳng, nhóm "
         "tự lực, câu lạc bộ của người bán dâm", "labour", ["womens_union", "youth_union"], NONE, ""),
        (G.SUPPORT, "Hỗ trợ, đầu tư nguồn lực nâng cấp cơ sở vật chất cho cơ sở cung cấp dịch vụ giáo dục nghề "
         "nghiệp, chăm sóc sức khỏe, phòng ngừa HIV/AIDS, hỗ trợ hòa nhập cộng đồng", "labour", ["health", "finance"],
         NONE, ""),
        (G.SUPPORT, "Can thiệp giảm hại về HIV/AIDS trong phòng, chống mại dâm; khám bệnh định kỳ cho nhân viên cơ sở "
         "kinh doanh dịch vụ", "health", ["labour"], NONE, ""),
        (G.DIRECTION, "Đào tạo, tập huấn, bồi dưỡng nâng cao năng lực cho đội ngũ cán bộ, công chức, viên chức, chiến "
         "sĩ làm công tác phòng, chống mại dâm", "labour", ["police", "justice"], NONE, ""),
        (G.DIRECTION, "Báo cáo 6 tháng kết quả thực hiện kế hoạch về Ban chỉ đạo 138 tỉnh", "labour", [], NONE,
         "15/06"),
        (G.DIRECTION, "Báo cáo năm kết quả thực hiện kế hoạch về Ban chỉ đạo 138 tỉnh", "labour", [], NONE, "15/12"),
        (G.BUDGET, "Tham mưu Ủy ban nhân dân tỉnh bố trí ngân sách thực hiện kế hoạch, lồng ghép với các chương "
         "trình, đề án liên quan", "finance", ["labour"], NONE, ""),
        (G.BUDGET, "Huy động nguồn lực xã hội hóa, các đoàn thể, tổ chức dựa vào cộng đồng tham gia hỗ trợ người bán "
         "dâm hòa nhập cộng đồng", "labour", ["fatherland_front", "womens_union", "youth_union"], NONE, ""),
    ],
}

SEED_003 = {
    "year": 2026,
    "title": "Triển khai thực hiện công tác phòng, chống mại dâm trên địa bàn phường Bạch Đằng năm 2026",
    "issuing_body": "Ủy ban nhân dân phường Bạch Đằng",
    "signer_title": "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
    "legal_bases": [
        "Quyết định số 732/QĐ-TTg ngày 24/4/2026 của Thủ tướng Chính phủ phê duyệt Chương trình phòng, chống mại dâm "
        "giai đoạn 2026-2030",
        "Công văn 4827/VP-VX ngày 04/05/2026 của Văn phòng Ủy ban nhân dân thành phố Hải Phòng về việc triển khai "
        "Chương trình phòng, chống mại dâm giai đoạn 2026-2030",
    ],
    "objectives": "Phòng ngừa, giảm thiểu tệ nạn mại dâm; ngăn chặn các hành vi vi phạm pháp luật liên quan đến mại "
    "dâm; không để phát sinh mới các điểm, tụ điểm phức tạp về tệ nạn mại dâm trên địa bàn phường.",
    "sections": [
        ("Giải pháp thực hiện", "Tăng cường công tác quản lý nhà nước; duy trì các giải pháp phòng ngừa, thông tin, "
         "tuyên truyền; tăng cường kiểm tra, phát hiện, đấu tranh; huy động nguồn lực."),
    ],
    "agencies": {
        "culture_society": ("culture_society", "Phòng Văn hóa - Xã hội phường"),
        "police": ("police", "Công an phường"),
        "economy": ("finance", "Phòng Kinh tế, Hạ tầng và Đô thị"),
        "health": ("health", "Trạm Y tế phường"),
        "service_centre": ("other", "Trung tâm dịch vụ hành chính công"),
        "office": ("peoples_committee", "Văn phòng HĐND và UBND phường"),
        "fatherland_front": ("fatherland_front", "Ủy ban MTTQ Việt Nam phường"),
        "womens_union": ("womens_union", "Hội Liên hiệp Phụ nữ phường"),
        "youth_union": ("youth_union", "Đoàn Thanh niên phường"),
        "veterans": ("veterans_association", "Hội Cựu chiến binh phường"),
        "residential_groups": ("residential_group", "Các tổ dân phố"),
        "volunteer_team": ("volunteer_team", "Đội công tác xã hội tình nguyện phường"),
    },
    "targets": [
        ("100% tổ dân phố triển khai công tác tuyên truyền về phòng, chống mại dâm bằng nhiều hình thức phù hợp",
         "COMM_RESGROUPS_PCT", EQ, VALUE, 100),
        ("Duy trì tuyên truyền thường xuyên trên hệ thống loa truyền thanh, Cổng thông tin điện tử, fanpage và các "
         "nền tảng số của phường", "", GTE, VALUE, None),
        ("Tổ chức từ 02 đến 04 buổi tuyên truyền, phổ biến pháp luật về phòng, chống mại dâm", "COMM_ACTIVITIES",
         GTE, VALUE, 2),
        ("100% cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn xã hội được tuyên truyền, phổ biến pháp luật và ký cam "
         "kết chấp hành pháp luật", "BUS_COMMITMENT_PCT", EQ, VALUE, 100),
        ("100% tổ dân phố thực hiện lồng ghép nhiệm vụ phòng, chống mại dâm với các chương trình an sinh xã hội, "
         "giảm nghèo, giải quyết việc làm", "", EQ, VALUE, 100),
        ("100% cơ sở kinh doanh dịch vụ dễ bị lợi dụng để hoạt động mại dâm được rà soát, quản lý theo quy định",
         "BUS_REVIEWED_PCT", EQ, VALUE, 100),
        ("100% cán bộ phụ trách công tác phòng, chống tệ nạn xã hội được tham gia các lớp đào tạo, tập huấn",
         "STAFF_TRAINED_PCT", EQ, VALUE, 100),
        ("100% tin báo, tố giác, phản ánh liên quan đến mại dâm được tiếp nhận, xử lý kịp thời theo quy định",
         "TIPS_ON_TIME_PCT", EQ, VALUE, 100),
        ("Tổ chức kiểm tra tối thiểu 60% cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn xã hội trên địa bàn trong năm",
         "INSP_COVERAGE_PCT", GTE, VALUE, 60),
        ("Không để phát sinh tụ điểm mại dâm phức tạp kéo dài trên địa bàn phường", "", EQ, VALUE, None),
    ],
    "tasks": [
        (G.DIRECTION, "Tham mưu ban hành kế hoạch phòng, chống mại dâm năm 2026 trên địa bàn phường",
         "culture_society", ["office"], NONE, "30/06"),
        (G.DIRECTION, "Tổng hợp tình hình thực hiện nhiệm vụ, định kỳ báo cáo UBND phường và Sở Y tế thành phố Hải "
         "Phòng; tham mưu khen thưởng", "culture_society", ["office"], QUARTERLY, ""),
        (G.DIRECTION, "Cử cán bộ tham gia đầy đủ các lớp đào tạo, bồi dưỡng do thành phố tổ chức", "culture_society",
         [], NONE, ""),
        (G.DIRECTION, "Trao đổi kinh nghiệm, nâng cao kỹ năng tuyên truyền, kiểm tra, phát hiện và xử lý vi phạm",
         "culture_society", ["police"], NONE, ""),
        (G.DIRECTION, "Phổ biến văn bản pháp luật mới, phương thức, thủ đoạn hoạt động mại dâm trên môi trường mạng",
         "police", ["culture_society"], NONE, ""),
        (G.COMMUNICATION, "Truyền thông về chủ trương của Đảng, chính sách pháp luật của Nhà nước; giảm kỳ thị, phân "
         "biệt đối xử đối với người bán dâm", "culture_society", ["service_centre", "fatherland_front"], NONE, ""),
        (G.COMMUNICATION, "Đổi mới nội dung, hình thức tuyên truyền; ứng dụng nền tảng số; tuyên truyền trực tiếp tại "
         "cộng đồng, trường học, cơ sở kinh doanh dịch vụ", "culture_society", ["service_centre", "youth_union"],
         NONE, ""),
        (G.COMMUNICATION, "Lắp đặt pano, khẩu hiệu tuyên truyền tại khu vực công cộng, tuyến đường chính và khu vực "
         "nhạy cảm", "culture_society", ["economy"], NONE, "30/09"),
        (G.COMMUNICATION, "Lồng ghép tuyên truyền phòng, chống mại dâm với phòng, chống ma túy, HIV/AIDS, mua bán "
         "người, bạo lực gia đình", "culture_society", ["health", "womens_union"], NONE, ""),
        (G.COMMUNICATION, "Tuyên truyền về hệ lụy của mại dâm, quy định pháp luật, kỹ năng phòng tránh tệ nạn xã hội "
         "trên hệ thống loa truyền thanh", "service_centre", ["culture_society"], MONTHLY, ""),
        (G.COMMUNICATION, "Phát huy vai trò của Mặt trận Tổ quốc, Hội Liên hiệp Phụ nữ, Đoàn Thanh niên, Hội Cựu chiến "
         "binh trong tuyên truyền, vận động Nhân dân", "fatherland_front",
         ["womens_union", "youth_union", "veterans"], NONE, ""),
        (G.COMMUNICATION, "Biểu dương, khen thưởng tập thể, cá nhân có thành tích; nhân rộng mô hình hay, cách làm "
         "hiệu quả", "culture_society", ["fatherland_front"], NONE, "15/12"),
        (G.INTEGRATED, "Rà soát, nắm tình hình các cơ sở kinh doanh dịch vụ dễ bị lợi dụng (karaoke, lưu trú, "
         "massage, quán bar, internet)", "police", ["culture_society"], QUARTERLY, ""),
        (G.INTEGRATED, "Quản lý nhân khẩu, tạm trú, tạm vắng; phát hiện biểu hiện nghi vấn liên quan đến mại dâm",
         "police", ["residential_groups"], NONE, ""),
        (G.INTEGRATED, "Lồng ghép hỗ trợ học nghề, giải quyết việc làm, vay vốn giảm nghèo cho đối tượng có nguy cơ "
         "cao", "culture_society", ["womens_union", "youth_union"], NONE, ""),
        (G.SUPPORT, "Duy trì can thiệp giảm tác hại, tư vấn tâm lý, pháp lý, chăm sóc sức khỏe, hỗ trợ hòa nhập "
         "cộng đồng cho người bán dâm", "culture_society", ["health", "volunteer_team"], NONE, ""),
        (G.SUPPORT, "Tư vấn, xét nghiệm HIV/AIDS, phòng chống bệnh lây truyền qua đường tình dục cho nhóm có nguy cơ",
         "health", ["culture_society"], NONE, ""),
        (G.SUPPORT, "Hỗ trợ tiếp cận dịch vụ xã hội, thay đổi nghề nghiệp, tái hòa nhập cộng đồng; hỗ trợ nạn nhân "
         "bị mua bán trở về", "culture_society", ["womens_union", "volunteer_team"], NONE, ""),
        (G.INSPECTION, "Duy trì hoạt động của Đội kiểm tra liên ngành 178 phường; kiểm tra định kỳ và đột xuất cơ sở "
         "kinh doanh dịch vụ", "culture_society", ["police", "health"], QUARTERLY, ""),
        (G.INSPECTION, "Quản lý địa bàn, cư trú, ngành nghề kinh doanh có điều kiện về an ninh trật tự", "police", [],
         NONE, ""),
        (G.INSPECTION, "Phối hợp tiếp nhận thông tin, kiểm tra, xử lý vi phạm; duy trì đường dây nóng tiếp nhận phản "
         "ánh của Nhân dân", "police", ["culture_society"], NONE, ""),
        (G.SUPPRESSION, "Phát hiện, đấu tranh, triệt xóa tụ điểm phức tạp; không để phát sinh điểm nóng về tệ nạn mại "
         "dâm", "police", ["culture_society", "residential_groups"], NONE, ""),
        (G.SUPPRESSION, "Xử lý nghiêm hành vi môi giới, chứa mại dâm, mại dâm qua mạng xã hội", "police", [], NONE,
         ""),
        (G.SUPPRESSION, "Báo cáo nhanh, báo cáo định kỳ tháng, quý, năm về kết quả đấu tranh, xử phạt vi phạm hành "
         "chính về Phòng Văn hóa - Xã hội phường", "police", ["culture_society"], MONTHLY, ""),
        (G.BUDGET, "Tham mưu UBND phường bố trí kinh phí thường xuyên thực hiện Kế hoạch năm 2026", "economy",
         ["culture_society"], NONE, "31/03"),
        (G.BUDGET, "Quản lý, sử dụng kinh phí công tác phòng, chống mại dâm (mô hình, hội thảo, tập huấn, văn phòng "
         "phẩm, công tác phí) đúng quy định", "culture_society", ["economy"], NONE, ""),
    ],
}


def build(data: dict, unit, agencies: dict, *, user=None, year: int | None = None, **plan_fields):
    """The plan of `data` for `unit` (as a draft unless `plan_fields` say otherwise), each record checked by its
    full_clean(). `agencies` maps the data's agency keys to geo.Agency records (a missing key leaves the task's
    agency blank). Deadlines "dd/mm" fall in the plan's year."""
    import datetime
    from decimal import Decimal

    from lanhmanh.core.services import record_create
    from lanhmanh.plans.models import Plan, PlanSection, Target, Task

    year = year or data["year"]

    def save(record):
        record.full_clean()
        return record_create(record, user=user)

    fields = {"title": data["title"], "issuing_body": data["issuing_body"], "signer_title": data["signer_title"],
              "legal_bases": "\n".join(data["legal_bases"]), "objectives": data["objectives"], **plan_fields}
    plan = save(Plan(unit=unit, year=year, **fields))
    for order, (heading, body) in enumerate(data["sections"], start=1):
        save(PlanSection(plan=plan, order=order, heading=heading, body=body))
    for order, (text, indicator, comparison, kind, value) in enumerate(data["targets"], start=1):
        save(Target(plan=plan, order=order, text=text, indicator=indicator, comparison=comparison, kind=kind,
                    value=None if value is None else Decimal(value)))
    for order, (group, title, lead, cooperating, recurrence, deadline) in enumerate(data["tasks"], start=1):
        day = None
        if deadline:
            day_number, month = (int(part) for part in deadline.split("/"))
            day = datetime.date(year, month, day_number)
        task = save(Task(plan=plan, group=group, order=order, title=title, lead_agency=agencies.get(lead),
                         recurrence=recurrence, deadline=day))
        others = [agencies[key] for key in cooperating if key in agencies]
        if others:
            task.cooperating_agencies.set(others)
    return plan
