"""Imports every area's models so the metadata (and Alembic) sees all tables."""

# The planning area answers the promise_date port (review and changes ask it); importing
# it here means every entry point (API, pages, CLI, worker) has it connected.
import orderflow.planning.promising  # noqa: F401
from orderflow.auth.models import User
from orderflow.billing.models import Invoice, Payment
from orderflow.catalog.models import PriceListEntry, Product
from orderflow.core.events import Event
from orderflow.core.idempotency import IdempotencyRecord
from orderflow.core.numbering import Counter
from orderflow.core.tasks import Task
from orderflow.costing.models import CostBudget, CostBudgetLine, CostBudgetSignature
from orderflow.db import Base
from orderflow.inventory.models import Reservation, StockLevel, StockMove, Warehouse
from orderflow.notify.models import Notification
from orderflow.org.models import Company, Department
from orderflow.parties.models import Address, Contact, Customer
from orderflow.planning.models import (
    MaterialRequirement,
    PlanLeftover,
    PlanLoad,
    PlannedJob,
    PlannedOperation,
    PlanRun,
    PlanSuggestion,
    ProductionPlan,
    ProductionPlanLine,
)
from orderflow.production.models import (
    BomLine,
    CoordinationMeeting,
    Milestone,
    OutsourcingRequest,
    PlanObjection,
    ProductionInstruction,
    ProductionOperation,
    ProductionOrder,
    ProgressReport,
    RoutingStep,
    WorkCentre,
)
from orderflow.sales.models import SalesOrder, SalesOrderLine
from orderflow.samples.models import SampleRequest, SampleRound, TechPack
from orderflow.shipping.models import Shipment, ShipmentLine

metadata = Base.metadata

__all__ = [
    "Address",
    "BomLine",
    "Company",
    "Contact",
    "CoordinationMeeting",
    "CostBudget",
    "CostBudgetLine",
    "CostBudgetSignature",
    "Counter",
    "Customer",
    "Department",
    "Event",
    "IdempotencyRecord",
    "Invoice",
    "MaterialRequirement",
    "Milestone",
    "Notification",
    "OutsourcingRequest",
    "Payment",
    "PlanLeftover",
    "PlanLoad",
    "PlanObjection",
    "PlanRun",
    "PlanSuggestion",
    "PlannedJob",
    "PlannedOperation",
    "PriceListEntry",
    "Product",
    "ProductionInstruction",
    "ProductionOperation",
    "ProductionOrder",
    "ProductionPlan",
    "ProductionPlanLine",
    "ProgressReport",
    "Reservation",
    "RoutingStep",
    "SalesOrder",
    "SalesOrderLine",
    "SampleRequest",
    "SampleRound",
    "Shipment",
    "ShipmentLine",
    "StockLevel",
    "StockMove",
    "Task",
    "TechPack",
    "User",
    "Warehouse",
    "WorkCentre",
    "metadata",
]
