"""Never runs: its manifest asks for a server version no host has (min_server_version 99)."""

raise SystemExit("too_new must not be started")
