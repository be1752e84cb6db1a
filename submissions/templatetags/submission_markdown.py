from django import template

from submissions.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str):
    """A team's Markdown, rendered inert (see submissions.markdown)."""
    return render_markdown(text)
