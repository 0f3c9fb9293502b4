"""Data loaded into an empty or existing database: reference data (gemeenten, bonden), seed categories and criteria, and demo data."""
