"""What the risk tool's pages share."""


def form_data(request):
    """The submitted data for a POST (even an empty one: a form with nothing ticked is still
    submitted), or None for a GET."""
    return request.POST if request.method == "POST" else None
