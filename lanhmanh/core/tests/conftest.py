import pytest


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # Lets fixtures (the browser page) know whether the test failed, to save a screenshot.
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
