"""Databases of a tier's own on the shared MariaDB (root over loopback): a tier creates its
database under a random name and drops exactly that one, never anything it did not create."""

from __future__ import annotations

MARIADB = {"host": "127.0.0.1", "port": 3306, "user": "root", "password": ""}


def mariadb_execute(sql: str) -> None:
    """One statement as root on the shared MariaDB."""
    import MySQLdb

    conn = MySQLdb.connect(**MARIADB)
    try:
        conn.cursor().execute(sql)
    finally:
        conn.close()


def create_database(name: str) -> None:
    mariadb_execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")


def drop_database(name: str) -> None:
    mariadb_execute(f"DROP DATABASE IF EXISTS `{name}`")
