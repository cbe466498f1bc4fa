"""The shared store on a PostgreSQL server: its connection, roles and the server's own records."""
