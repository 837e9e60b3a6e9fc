"""realtime_scrum/mysql_pool overrides parts of Django's MySQL backend that are not public API.
It was checked against Django 5.2.x; these tests need no MariaDB (the last one needs
mysqlclient, so it runs in the services tier). They fail when Django moves on, or when the
hooks it relies on change shape, so the pool is re-checked before it silently stops pooling
(or pools a connection in a state Django did not expect). tests/test_db_connections_mysql.py
checks what it does on MariaDB."""

import inspect

import django
import pytest
from django.db.backends.base.base import BaseDatabaseWrapper

CHECKED_AGAINST = (5, 2)

_RECHECK = (
    "realtime_scrum/mysql_pool/base.py was checked against Django {checked}, this is Django "
    "{found}. Re-check in django/db/backends/base/base.py and mysql/base.py that connect() "
    "still calls get_new_connection(), then set_autocommit(), then init_connection_state(); that "
    "close() still calls _close() and nothing else holds the raw connection; that "
    "in_atomic_block, errors_occurred and get_autocommit() still say whether a connection is "
    "idle and healthy; that mysql_server_data is still a cached_property with the same query; "
    "then run tests/test_db_connections_mysql.py on MariaDB (make test-services), redo the "
    "docs/benchmarks.md Levers row with B6, and move CHECKED_AGAINST here."
)
RECHECK = _RECHECK.format(
    checked=".".join(map(str, CHECKED_AGAINST)) + ".x", found=django.get_version()
)


def test_the_pool_was_checked_against_this_django_version():
    assert django.VERSION[:2] == CHECKED_AGAINST, RECHECK


def test_connect_and_close_still_go_through_the_overridden_hooks():
    connect = inspect.getsource(BaseDatabaseWrapper.connect)
    order = [
        connect.index("self.get_new_connection(conn_params)"),
        connect.index("self.set_autocommit("),
        connect.index("self.init_connection_state()"),
    ]
    assert order == sorted(order), RECHECK
    close = inspect.getsource(BaseDatabaseWrapper.close)
    assert "self._close()" in close, RECHECK


@pytest.mark.mysql  # needs mysqlclient, which the services tier installs
def test_the_server_data_is_still_a_cached_property_of_the_mysql_backend():
    from django.db.backends.mysql.base import DatabaseWrapper
    from django.utils.functional import cached_property

    attr = inspect.getattr_static(DatabaseWrapper, "mysql_server_data")
    assert isinstance(attr, cached_property), RECHECK
    from realtime_scrum.mysql_pool.base import DatabaseWrapper as Pooled

    assert issubclass(Pooled, DatabaseWrapper)
