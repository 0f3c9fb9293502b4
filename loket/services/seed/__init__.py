"""Data loaded into a database: reference data (gemeenten, bonden), seed categories and criteria, demo data."""
