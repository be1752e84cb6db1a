from django import template

from core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str):
    """A team's Markdown, rendered inert (see core.markdown)."""
    return render_markdown(text)
