from django.core.management.base import BaseCommand, CommandError

from safeguarding.people.models import User
from safeguarding.people.services import api_token_create


class Command(BaseCommand):
    help = (
        "Create a new API token for the user with this e-mail address and print only its key. "
        "Any token the user already had stops working (one token per user). The API takes it as "
        "the header 'Authorization: Token <key>'. The creation is audited; the key is not."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The user's work e-mail address.")

    def handle(self, *args, email: str, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user has the e-mail address {email!r}.")
        if not user.is_active:
            raise CommandError(f"The account for {user.email} is deactivated; reactivate it first.")
        token = api_token_create(user=user, actor=None)
        self.stdout.write(token.key)
