"""Report pages (roll-up, breakdowns, yield, financing, trends, briefing), JSON and exports."""
