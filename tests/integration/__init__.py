"""Tests that run against the backends: moto in process, a moto server and dynalite."""
