"""Custom actions for the Haven engine, one class each; facts come from ``content/``."""
