"""The fit finder: its rules, its ranking on a corpus written for it, the /start page, saved searches and alerts."""
