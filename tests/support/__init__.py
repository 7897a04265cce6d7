"""Helpers for the test suite (not tests themselves): the throwaway PostgreSQL server, system packages."""
