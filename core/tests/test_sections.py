from core.sections import page_section_register, page_sections


def test_sections_come_in_order_with_their_context_and_once_per_template():
    page = "tests:section_page"
    page_section_register(page, template="b.html", context=lambda **kwargs: {"who": kwargs["request"]}, order=20)
    page_section_register(page, template="a.html", order=10)
    page_section_register(page, template="b.html", context=lambda **kwargs: {"who": kwargs["request"]}, order=20)
    assert page_sections(page, request="me") == [
        {"template": "a.html", "context": {}},
        {"template": "b.html", "context": {"who": "me"}},
    ]
    assert page_sections("tests:no_such_page", request="me") == []
