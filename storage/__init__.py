"""Database access: typed models, engine and session setup, queries and Alembic migrations."""
