from django.db import migrations

# The types of conditional service businesses the programme manages (DOMAIN.md §1; Decree 96/2016 lists
# them as conditional on security and order). Synonyms are written without diacritics: imports compare
# normalised text. risk_points feeds the suggested risk level (services.suggest_risk).
BUSINESS_TYPES = [
    # code, name, group, risk points, synonyms
    ("hotel", "Khách sạn", "Lưu trú", 1, "khach san;ks"),
    ("guest_house", "Nhà nghỉ", "Lưu trú", 2, "nha nghi;nha tro;phong tro"),
    ("homestay", "Homestay, nhà ở có phòng cho thuê", "Lưu trú", 1, "homestay;nha o co phong cho thue;can ho dich vu"),
    ("karaoke", "Karaoke", "Karaoke", 2, "karaoke;quan hat;hat karaoke;phong hat"),
    ("massage", "Xoa bóp (massage)", "Xoa bóp, xông hơi", 3, "massage;mat xa;xoa bop;tam quat"),
    ("sauna", "Xông hơi, tắm hơi", "Xoa bóp, xông hơi", 3, "xong hoi;tam hoi;sauna;steam"),
    ("bar", "Quán bar, pub", "Vũ trường, quán bar", 2, "bar;pub;quan bar;beer club"),
    ("dance_hall", "Vũ trường", "Vũ trường, quán bar", 2, "vu truong;san nhay;discotheque;club"),
    ("beauty_salon", "Cắt tóc, gội đầu, chăm sóc sắc đẹp", "Cắt tóc, làm đẹp", 1,
     "cat toc;goi dau;cat toc goi dau;lam dep;spa;tham my;hot toc"),
    ("cafe_hostess", "Cà phê có tiếp viên", "Ăn uống có tiếp viên", 2, "ca phe;cafe;ca phe tiep vien;cafe tiep vien"),
    ("restaurant_hostess", "Nhà hàng có tiếp viên", "Ăn uống có tiếp viên", 1, "nha hang;nha hang tiep vien;quan nhau"),
    ("other", "Loại hình khác", "Khác", 0, "khac"),
]


def load(apps, schema_editor):
    BusinessType = apps.get_model("businesses", "BusinessType")
    for order, (code, name, group, points, synonyms) in enumerate(BUSINESS_TYPES):
        BusinessType.objects.update_or_create(
            code=code, defaults={"name": name, "group": group, "risk_points": points, "synonyms": synonyms,
                                 "sort_order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("businesses", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
