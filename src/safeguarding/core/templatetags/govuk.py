from django import template

register = template.Library()


@register.simple_tag
def page_window(page, around: int = 2) -> list[int | None]:
    """Page numbers to show in GOV.UK pagination: first, last and `around` either side of the
    current page, with None where an ellipsis goes. Never walks every page of a long list."""
    last = page.paginator.num_pages
    numbers = sorted(
        {1, last, *range(max(1, page.number - around), min(last, page.number + around) + 1)}
    )
    window: list[int | None] = []
    for number in numbers:
        if window and number - window[-1] > 1:
            window.append(None)
        window.append(number)
    return window
