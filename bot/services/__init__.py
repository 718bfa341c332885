"""Services: the work behind each handler, on an AsyncSession and plain values, Telegram-free."""
