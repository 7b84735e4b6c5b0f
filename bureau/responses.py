"""Answers shared by every chapter's views."""

from django.shortcuts import render


def bad_request(request, message):
    """HTTP 400 with a message for the user: the request named something that does
    not exist (e.g. an unknown decision). Nothing was changed."""
    return render(request, "bureau/bad_request.html", {"message": message}, status=400)
