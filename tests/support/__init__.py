"""Test support every live tier shares, in one place:

- `ports`: a free loopback port picked at run time, and whether something listens on one;
- `http`: the HTTP client for a live server over loopback (JSON in, status and JSON out);
- `servers`: the launcher: a child process we own (daphne, redis-server, nginx, the Huey
  worker), its log in a file, ready when a check passes before a deadline, stopped by its
  own PID;
- `mariadb`: a database of a tier's own on the shared MariaDB, created and dropped.
"""
