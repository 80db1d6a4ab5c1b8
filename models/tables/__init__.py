"""The ward's data model (DESIGN.md "Data model"), geometry stored in EPSG:4326.

Vocabularies (categories, statuses) are plain strings validated by ``geo.vocabulary``
before they reach the database, so adding a category is a data change, not a migration.

The tables are in modules by area, imported through the package (``from models.tables
import Ward``): ``places`` (the ward, khu phố, streets, model streets, campaigns),
``field_records`` (boarding houses, inspections, incidents, photos, field submissions),
``people`` (users, sessions, the audit log, ledger purges), ``plan`` (snapshots, rubric and
plan versions, hand-entered figures); ``spatial`` holds the geometry column type. Importing
the package registers every table on ``Base.metadata``.
"""

from __future__ import annotations

from models.base import Base  # noqa: F401 - re-exported
from models.tables.field_records import (  # noqa: F401 - re-exported
    PERSONAL_COLUMNS,
    BoardingHouse,
    FieldSubmission,
    Incident,
    IncidentEvent,
    Inspection,
    Photo,
)
from models.tables.people import AuditLog, LedgerPurge, User, UserSession  # noqa: F401 - re-exported
from models.tables.places import (  # noqa: F401 - re-exported
    Campaign,
    ModelStreet,
    ModelStreetCheck,
    ModelStreetEvent,
    Neighbourhood,
    Street,
    Ward,
)
from models.tables.plan import (  # noqa: F401 - re-exported
    ManualScore,
    MonthlyReportEntry,
    PlanVersion,
    RankingSnapshot,
    RubricVersion,
    TargetSnapshot,
    TargetValue,
)
from models.tables.spatial import SRID  # noqa: F401 - re-exported

# isort: split
# Last: these import names from this package, so they come once the names above exist.
import models.work  # noqa: F401  (its tables complete the metadata)
from models import registers as _registers  # noqa: F401  (its tables join the metadata)
