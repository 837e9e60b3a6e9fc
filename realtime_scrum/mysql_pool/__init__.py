"""Django's MySQL/MariaDB backend with idle connections handed from one request to the next
(ENGINE "realtime_scrum.mysql_pool"; see base.py)."""
