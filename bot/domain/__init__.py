"""Domain logic with no Telegram objects and no database: plain values in, plain values out."""
