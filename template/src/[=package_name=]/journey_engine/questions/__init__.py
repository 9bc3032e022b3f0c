"""The questions a journey's pages ask, each built from a GOV.UK component with the
Design System's error messages (see base.py for what every question has)."""

from __future__ import annotations

from .address import Address
from .base import Answers, FormData, Question, Rule
from .choices import Checkboxes, Choice, Radios, Select, YesNo
from .dates import Date, today_in_the_uk, years_before
from .text import Email, Number, Phone, Text, Textarea

__all__ = [
    "Address",
    "Answers",
    "Checkboxes",
    "Choice",
    "Date",
    "Email",
    "FormData",
    "Number",
    "Phone",
    "Question",
    "Radios",
    "Rule",
    "Select",
    "Text",
    "Textarea",
    "YesNo",
    "today_in_the_uk",
    "years_before",
]
