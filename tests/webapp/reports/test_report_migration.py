"""Migration 0004 (monthly report entries) goes up and down on both backends."""

from __future__ import annotations

from sqlalchemy import inspect

from models import migrate


def test_0004_up_and_down(migrated_engine):
    assert "monthly_report_entry" in inspect(migrated_engine).get_table_names()
    unique = inspect(migrated_engine).get_unique_constraints("monthly_report_entry")
    assert any(set(u["column_names"]) == {"ward_id", "month", "target_code"} for u in unique)
    migrate.downgrade(migrated_engine, "0003")
    tables = inspect(migrated_engine).get_table_names()
    assert "monthly_report_entry" not in tables and "incident" in tables
    migrate.upgrade(migrated_engine)
    assert "monthly_report_entry" in inspect(migrated_engine).get_table_names()
