"""Plans of partnerships for the demo and synthetic data.

A *plan* (agencies, teams, people with roles and line managers) is built in memory first, as plain
data (`building`), and then written with bulk inserts (`writing`). Building is deterministic;
writing is idempotent: rows that already exist are left alone, so loading a plan twice leaves the
same data.
"""
