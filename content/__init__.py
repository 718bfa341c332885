"""The product's texts as data: exercises, answers, safety texts and the message catalog."""

from content.loader import ContentError, load_content
from content.models import Answer, Content, Exercise, HandsFree, Messages, Safety

__all__ = [
    "Answer",
    "Content",
    "ContentError",
    "Exercise",
    "HandsFree",
    "Messages",
    "Safety",
    "load_content",
]
