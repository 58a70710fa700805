"""The retention period: identifying details of clients whose last contact (registration, last service, end of
support) is older than SUPPORT_RETENTION_DAYS are purged by the daily task, and only those."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lanhmanh.support import services, tasks
from lanhmanh.support.models import IDENTITY_FIELDS, ClientStatus, ErasureKind, ErasureRecord, SupportClient
from lanhmanh.support.tests.factories import ServiceDeliveryFactory, SupportClientFactory

NAME = "Người Thử Nghiệm Hai"


@pytest.fixture(autouse=True)
def retention(settings):
    settings.SUPPORT_RETENTION_DAYS = 365


def ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def identified(unit, registered_days_ago, **kwargs):
    return SupportClientFactory(unit=unit, registered_on=ago(registered_days_ago), full_name=NAME,
                                id_number="001199000222", address="Số 2 ngõ Thử Nghiệm", **kwargs)


@pytest.fixture
def clients(people):
    a = people.commune_a
    made = {
        "old": identified(a, 500),
        "old_service": identified(a, 600),
        "recent_service": identified(a, 600),
        "recent": identified(a, 100),
        "closed_recently": identified(a, 600, status=ClientStatus.CLOSED, closed_on=ago(200)),
        "closed_long_ago": identified(people.commune_b, 900, status=ClientStatus.CLOSED, closed_on=ago(400)),
    }
    ServiceDeliveryFactory(client=made["old_service"], delivered_on=ago(380))
    ServiceDeliveryFactory(client=made["recent_service"], delivered_on=ago(30))
    return made


EXPIRED = {"old", "old_service", "closed_long_ago"}


def _purged(clients):
    return {key for key, client in clients.items() if not SupportClient.objects.get(pk=client.pk).has_identity}


def test_purge_takes_only_clients_past_the_retention_period(clients):
    assert {c.pk for c in services.expired_clients()} == {clients[k].pk for k in EXPIRED}
    assert services.purge_expired_identities() == 3
    assert _purged(clients) == EXPIRED
    for key in EXPIRED:
        client = SupportClient.objects.get(pk=clients[key].pk)
        assert client.identity_purged_at is not None and client.code == clients[key].code
        history = client.history.values_list(*IDENTITY_FIELDS)
        assert history and not any(value for row in history for value in row)
    untouched = SupportClient.objects.get(pk=clients["recent_service"].pk)
    assert untouched.full_name == NAME and untouched.identity_purged_at is None

    records = ErasureRecord.objects.all()
    assert {r.client_id for r in records} == {clients[k].pk for k in EXPIRED}
    assert {(r.kind, r.performed_by_id, r.request_reference) for r in records} == {(ErasureKind.RETENTION, None, "")}

    # Idempotent: a second run finds nothing and writes nothing.
    assert services.purge_expired_identities() == 0
    assert ErasureRecord.objects.count() == 3


def test_the_period_is_the_setting(clients, settings):
    settings.SUPPORT_RETENTION_DAYS = 20
    assert services.purge_expired_identities() == 6
    assert _purged(clients) == set(clients)


def test_purge_on_a_given_day(clients):
    # 300 days on, the period reaches back 65 days from now: only the service of 30 days ago is still recent.
    later = timezone.localdate() + datetime.timedelta(days=300)
    assert services.purge_expired_identities(today=later) == 5
    assert _purged(clients) == set(clients) - {"recent_service"}


def test_command_counts_with_dry_run_and_purges_without(clients):
    out = io.StringIO()
    with translation.override("vi"):
        call_command("purge_support_identities", "--dry-run", stdout=out)
    assert out.getvalue().startswith("3 hồ sơ đã hết thời hạn lưu trữ")
    assert _purged(clients) == set() and not ErasureRecord.objects.exists()

    out = io.StringIO()
    with translation.override("vi"):
        call_command("purge_support_identities", stdout=out)
    assert "Đã xóa thông tin nhận dạng của 3 hồ sơ hết thời hạn lưu trữ." in out.getvalue()
    assert _purged(clients) == EXPIRED


def _pending():
    return DBTaskResult.objects.filter(task_path=tasks.purge_support_identities.module_path,
                                       status=TaskResultStatus.READY)


def test_the_task_purges_and_schedules_the_next_run_at_two(clients):
    assert tasks.purge_support_identities.call() == 3
    assert _purged(clients) == EXPIRED
    run = _pending().get()
    run_after = timezone.localtime(run.run_after)
    assert (run_after.hour, run_after.minute) == (2, 0) and run_after > timezone.now()
    assert run_after - timezone.now() <= datetime.timedelta(days=1)
    # Run again (as if by the worker while tomorrow's run waits): still one run waiting.
    tasks.purge_support_identities.call()
    assert _pending().count() == 1


def test_ensure_scheduled_enqueues_once(db):
    assert tasks.ensure_scheduled() is not None
    assert tasks.ensure_scheduled() is None
    assert _pending().count() == 1
    # A run under way schedules its successor itself: nothing to add.
    _pending().update(status=TaskResultStatus.RUNNING)
    assert tasks.ensure_scheduled() is None
    # Once it finished, the next call starts the chain again.
    DBTaskResult.objects.update(status=TaskResultStatus.SUCCESSFUL)
    assert tasks.ensure_scheduled() is not None and _pending().count() == 1


def test_next_run_is_the_next_two_o_clock():
    tz = timezone.get_current_timezone()
    morning = datetime.datetime(2026, 3, 1, 1, 30, tzinfo=tz)
    assert tasks.next_run(morning) == datetime.datetime(2026, 3, 1, 2, 0, tzinfo=tz)
    at_two = datetime.datetime(2026, 3, 1, 2, 0, tzinfo=tz)
    assert tasks.next_run(at_two) == datetime.datetime(2026, 3, 2, 2, 0, tzinfo=tz)


# The worker closes connections it finds inside a transaction, so this test runs outside the test transaction.
@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_purge_and_leaves_tomorrows_run_waiting(clients):
    tasks.purge_support_identities.enqueue()
    call_command("db_worker", "--batch", "--queue-name", "default", verbosity=0)
    done = DBTaskResult.objects.get(status=TaskResultStatus.SUCCESSFUL)
    assert done.return_value == 3 and _purged(clients) == EXPIRED
    # The deferred run is not taken before its time.
    waiting = _pending().get()
    assert timezone.localtime(waiting.run_after).hour == 2


def test_the_schedule_option_queues_one_nightly_run(db):
    from django.core.management import call_command

    from lanhmanh.support.tasks import pending_runs

    call_command("purge_support_identities", "--schedule")
    call_command("purge_support_identities", "--schedule")
    assert pending_runs().count() == 1
