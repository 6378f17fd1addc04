"""Operations: backups and restores, SQLite's planner statistics, and the sign-in lockout."""
