import pytest


@pytest.fixture
def db_tasks(settings):
    """The database backend of production instead of the tests' immediate one."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": settings.TASK_QUEUES,
        }
    }
