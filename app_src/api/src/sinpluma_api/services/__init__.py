"""Business rules. Services raise the typed errors of services.errors; the HTTP layer renders them."""
