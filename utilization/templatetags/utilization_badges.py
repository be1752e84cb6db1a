"""Badges for the dashboard's long tables (hundreds of rows): each distinct badge is rendered from the design
system's partial once per page and reused, instead of an include per row."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _once(context, key: tuple, template_name: str, values: dict) -> SafeString:
    cache = context.render_context.setdefault("utilization_badges", {})
    if key not in cache:
        cache[key] = mark_safe(render_to_string(template_name, values, request=context.get("request")))  # noqa: S308 (our templates, escaped)
    return cache[key]


@register.simple_tag(takes_context=True)
def source_badge(context, source) -> SafeString:
    """The figure's source (device counters, job intervals or simulated demo history) as utilization/_source.html."""
    return _once(context, ("source", source), "utilization/_source.html", {"source": source})


@register.simple_tag(takes_context=True)
def badge(context, tone: str, label: str) -> SafeString:
    """partials/badge.html with a tone and a label."""
    return _once(
        context, ("badge", tone, str(label)), "partials/badge.html",
        {"tone": tone, "state": "", "label": label, "badge_title": ""},
    )  # fmt: skip
