"""Imports every domain's tables so that the metadata (and Alembic) sees the whole schema."""

from sunshine.archives import models as archives_models  # noqa: F401
from sunshine.auctions import models as auctions_models  # noqa: F401
from sunshine.awards import contract_models as awards_contract_models  # noqa: F401
from sunshine.awards import models as awards_models  # noqa: F401
from sunshine.bidding import models as bidding_models  # noqa: F401
from sunshine.channels import models as channels_models  # noqa: F401
from sunshine.committees import calling_models as committees_calling_models  # noqa: F401
from sunshine.committees import models as committees_models  # noqa: F401
from sunshine.complaints import models as complaints_models  # noqa: F401
from sunshine.core import models as core_models  # noqa: F401
from sunshine.credit import models as credit_models  # noqa: F401
from sunshine.db import Base
from sunshine.declarations import models as declarations_models  # noqa: F401
from sunshine.disclosure import models as disclosure_models  # noqa: F401
from sunshine.draws import models as draws_models  # noqa: F401
from sunshine.evaluation import models as evaluation_models  # noqa: F401
from sunshine.experts import models as experts_models  # noqa: F401
from sunshine.governance import models as governance_models  # noqa: F401
from sunshine.identity import models as identity_models  # noqa: F401
from sunshine.incidents import models as incidents_models  # noqa: F401
from sunshine.inforequests import models as inforequests_models  # noqa: F401
from sunshine.ledger import models as ledger_models  # noqa: F401
from sunshine.market import models as market_models  # noqa: F401
from sunshine.messaging import models as messaging_models  # noqa: F401
from sunshine.monitoring import models as monitoring_models  # noqa: F401
from sunshine.observers import models as observers_models  # noqa: F401
from sunshine.opendata import models as opendata_models  # noqa: F401
from sunshine.performance import models as performance_models  # noqa: F401
from sunshine.policy import models as policy_models  # noqa: F401
from sunshine.procedure import models as procedure_models  # noqa: F401
from sunshine.qualifications import models as qualifications_models  # noqa: F401
from sunshine.results import models as results_models  # noqa: F401
from sunshine.rules import models as rules_models  # noqa: F401
from sunshine.seals import models as seals_models  # noqa: F401
from sunshine.search import models as search_models  # noqa: F401
from sunshine.servicedesk import models as servicedesk_models  # noqa: F401
from sunshine.signing import models as signing_models  # noqa: F401
from sunshine.smallworks import models as smallworks_models  # noqa: F401
from sunshine.supervision import models as supervision_models  # noqa: F401
from sunshine.tenderdocs import models as tenderdocs_models  # noqa: F401
from sunshine.trading import models as trading_models  # noqa: F401
from sunshine.venues import models as venues_models  # noqa: F401

metadata = Base.metadata
