"""The `{{dot.path}}` template renderer (pure functions)."""

from __future__ import annotations

import pytest

from kitchenasty.automation.templates import TemplateError, parse, render, render_email_body

PAYLOAD = {
    "order": {
        "orderNumber": "KA-0042",
        "total": 25.5,
        "tax": 2.0,
        "rate": 0.125,
        "itemCount": 3,
        "paid": True,
        "customer": None,
        "guestName": "<Ana & Bo>",
        "items": [{"name": "Margherita"}, {"name": "Tiramisu"}],
        "tags": ["vip"],
    }
}


def test_render_interpolates_dot_paths_with_or_without_spaces() -> None:
    assert render("Order {{order.orderNumber}} / {{ order.orderNumber }}", PAYLOAD) == "Order KA-0042 / KA-0042"


def test_render_reaches_into_lists_by_index() -> None:
    assert render("{{order.items.1.name}}", PAYLOAD) == "Tiramisu"


def test_render_missing_and_null_values_render_empty() -> None:
    assert render("[{{order.nothing}}][{{order.customer.email}}][{{nope.x}}]", PAYLOAD) == "[][][]"


def test_render_formats_numbers_booleans_and_collections() -> None:
    assert render("{{order.total}} {{order.tax}} {{order.rate}} {{order.itemCount}}", PAYLOAD) == "25.50 2.00 0.125 3"
    assert render("{{order.paid}} {{order.tags}}", PAYLOAD) == 'true ["vip"]'


def test_render_escapes_values_in_html_but_keeps_the_template_markup() -> None:
    out = render("<p>Hi {{order.guestName}}</p>", PAYLOAD, escape_html=True)
    assert out == "<p>Hi &lt;Ana &amp; Bo&gt;</p>"
    assert render("Hi {{order.guestName}}", PAYLOAD) == "Hi <Ana & Bo>"


def test_render_email_body_html_template_escapes_values() -> None:
    html, text = render_email_body("<b>{{order.guestName}}</b>", PAYLOAD)
    assert html == "<b>&lt;Ana &amp; Bo&gt;</b>"
    assert text is None


def test_render_email_body_plain_template_is_sent_as_text_and_escaped_html() -> None:
    html, text = render_email_body("Hi {{order.guestName}}\nOrder {{order.orderNumber}}", PAYLOAD)
    assert text == "Hi <Ana & Bo>\nOrder KA-0042"
    assert html == "<p>Hi &lt;Ana &amp; Bo&gt;<br>\nOrder KA-0042</p>"


def test_parse_keeps_single_braces_as_text() -> None:
    css = "<style>p { color: red }</style>{{order.orderNumber}}"
    assert parse(css).paths == ("order.orderNumber",)
    assert render(css, PAYLOAD) == "<style>p { color: red }</style>KA-0042"


def test_parse_lists_the_paths_used() -> None:
    assert parse("{{a.b}} and {{ c }}").paths == ("a.b", "c")
    assert parse("no placeholders").paths == ()


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("Order {{order.orderNumber", "is never closed"),
        ("Order order.orderNumber}}", "has no opening"),
        ("{{ }}", "is not a dot path"),
        ("{{order status}}", "is not a dot path"),
        ("{{{order.id}}}", "unbalanced braces"),
        ("{{order.id}} then }}", "has no opening"),
    ],
)
def test_parse_refuses_malformed_templates(source: str, message: str) -> None:
    with pytest.raises(TemplateError) as caught:
        parse(source)
    assert message in caught.value.message
