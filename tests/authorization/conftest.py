import logging

import pytest


@pytest.fixture(autouse=True)
def quiet_request_log():
    """Thousands of refusals are expected here: Django's 'Not Found' and 'Forbidden' warnings would bury a failure."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR + 1)
    yield
    logger.setLevel(level)
