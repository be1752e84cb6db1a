"""Template helpers of the design system (docs/design-system.md).

`{% wrap "partials/x.html" key=value %}…{% endwrap %}` renders a partial around a block of markup (the partial
gets it as `content`), for the parts that enclose something: a table's scroll box, a filter bar's extra actions.
`state|tone` names the badge tone for a state, so every app colours "failed" or "waitlisted" the same way.
"""

from django import template
from django.template.base import token_kwargs
from django.template.loader import get_template

register = template.Library()

# State value -> badge tone (.badge--<tone> in static/css/app.css). Unknown states are neutral.
TONES = {
    # jobs and quantizations
    "queued": "neutral",
    "preparing": "info",
    "running": "info",
    "succeeded": "ok",
    "failed": "bad",
    "timed_out": "bad",
    "cancelled": "neutral",
    # where a figure comes from
    "npu": "npu",
    "cpu": "cpu",
    "simulated": "simulated",
    # applications
    "submitted": "neutral",
    "under_review": "info",
    "accepted": "ok",
    "confirmed": "ok",
    "waitlisted": "warn",
    "rejected": "neutral",
    "declined": "neutral",
    "expired": "warn",
    "withdrawn": "neutral",
    # everything else
    "ok": "ok",
    "done": "ok",
    "yes": "ok",
    "online": "ok",
    "offline": "bad",
    "warn": "warn",
    "bad": "bad",
    "info": "info",
    "draft": "warn",
}


@register.filter
def tone(state) -> str:
    return TONES.get(str(state), "neutral")


class WrapNode(template.Node):
    def __init__(self, template_name, extra_context, nodelist):
        self.template_name = template_name
        self.extra_context = extra_context
        self.nodelist = nodelist

    def render(self, context):
        values = {key: value.resolve(context) for key, value in self.extra_context.items()}
        values["content"] = self.nodelist.render(context)
        partial = get_template(self.template_name.resolve(context))
        with context.push(**values):
            return partial.template.render(context)


@register.tag
def wrap(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError('{% wrap "partials/name.html" key=value … %} needs a template name')
    template_name = parser.compile_filter(bits[1])
    remaining = bits[2:]
    extra_context = token_kwargs(remaining, parser, support_legacy=False)
    if remaining:
        raise template.TemplateSyntaxError(f"wrap: unexpected arguments {remaining}; use key=value")
    nodelist = parser.parse(("endwrap",))
    parser.delete_first_token()
    return WrapNode(template_name, extra_context, nodelist)
