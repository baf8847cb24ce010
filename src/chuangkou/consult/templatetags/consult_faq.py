"""`{% load consult_faq %}{% matter_faq matter %}`: the FAQ entries of a matter and the way to
ask online, for the public guide page (the catalog stays unaware of 1call)."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("consult/_faq_block.html")
def matter_faq(matter):
    return {"matter": matter, "entries": list(selectors.public_faq(matter)[:10])}
