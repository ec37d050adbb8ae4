"""Authoring: what trainers use to write, check, import and publish questions.

The admin (registrations, forms, upload and preview views, reports, item statistics), the
item-writing linter, publishing, and the bank and GIFT formats. Practice (the exam loop and
the candidate's figures) lives beside this package in ``quizzes``; both share the models and
the question rules (``quizzes.question_rules``).
"""
