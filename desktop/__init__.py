"""Plan Ledger (规划指标台账): five-year plan indicators of a county HR & social-security bureau."""

__version__ = "0.1.0"
APP_NAME = "规划指标台账"
APP_ID = "PlanLedger"
