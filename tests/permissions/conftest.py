from tests.catalog.conftest import catalog  # noqa: F401 - the bearer-token test's fixture
