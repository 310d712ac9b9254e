"""People's pages, one module per area: sign_in, accounts, registrations, agencies, directory
(people), imports, audit."""
