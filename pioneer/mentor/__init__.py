"""Mentors' side: propose and edit projects, and claims on projects."""
