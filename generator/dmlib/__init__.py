"""Broadband Forum CWMP data-model resolver (generator side of the project)."""
