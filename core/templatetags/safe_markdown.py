from django import template

from core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str):
    """Markdown someone wrote, rendered inert (see core.markdown)."""
    return render_markdown(text)
