"""The safety screen: warning signs in what people type and answer (two tiers)."""

from bot.domain.safety.screen import NOTHING, SafetyScreen, Screening, Tier

__all__ = ["NOTHING", "SafetyScreen", "Screening", "Tier"]
