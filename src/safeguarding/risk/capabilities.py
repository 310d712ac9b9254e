"""What the risk tool lets each role do; declared to people's registry by RiskConfig.ready()."""

from __future__ import annotations

from safeguarding.people.models import Role

USE_RISK_TOOL = "risk.use"  # complete domestic abuse risk identifications for one's agency
VIEW_RISK_INSIGHT = "risk.insight"  # the risk tool's board figures: aggregates only

ROLE_CAPABILITIES = {
    Role.ADMIN: {VIEW_RISK_INSIGHT},
    Role.PRACTITIONER: {USE_RISK_TOOL},
    Role.LINE_MANAGER: {USE_RISK_TOOL},
    Role.BOARD_MEMBER: {VIEW_RISK_INSIGHT},
    Role.SAFEGUARDING_LEAD: {USE_RISK_TOOL},
}
