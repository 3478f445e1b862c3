"""Imports every area's models so the metadata (and Alembic) sees all tables."""

from orderflow.auth.models import User
from orderflow.billing.models import Invoice, Payment
from orderflow.catalog.models import PriceListEntry, Product
from orderflow.changes.models import ChangeNotice, DesignErrorAck, DesignErrorNotice, OrderVersion
from orderflow.contracts.models import Contract, ContractFiling
from orderflow.core.events import Event
from orderflow.core.idempotency import IdempotencyRecord
from orderflow.core.numbering import Counter
from orderflow.core.tasks import Task
from orderflow.costing.models import CostBudget, CostBudgetLine, CostBudgetSignature
from orderflow.db import Base
from orderflow.exception_slips.models import ExceptionSlip
from orderflow.files.models import Attachment
from orderflow.inventory.models import (
    Location,
    LocationStock,
    Reservation,
    StockLevel,
    StockMove,
    Warehouse,
)
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
from orderflow.procurement.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequisition,
    RequisitionLine,
    Supplier,
    SupplierItem,
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
from orderflow.quality.models import Inspection
from orderflow.quotes.models import Quote, QuoteVersion
from orderflow.review.models import OrderReview, ReviewOpinion
from orderflow.sales.models import SalesOrder, SalesOrderLine
from orderflow.samples.models import SampleRequest, SampleRound, TechPack
from orderflow.shipping.models import Shipment, ShipmentLine
from orderflow.stockup.models import StockUpNotice
from orderflow.warehouse.models import (
    CustomerSupplied,
    CustomerSuppliedLine,
    StockCount,
    StockCountLine,
    TransferLine,
    TransferOrder,
)

metadata = Base.metadata

# The ports other areas call (core/ports.py) and the sweeper's overdue actions are filled
# when these modules load; the API, CLI, worker and demo import this module, so they are
# always connected.
import orderflow.exception_slips.service  # noqa: E402
import orderflow.planning.material_use  # noqa: E402  (answers bom_use)
import orderflow.planning.promising  # noqa: E402  (answers promise_date)
import orderflow.procurement.ports  # noqa: E402
import orderflow.quality.service  # noqa: E402
import orderflow.warehouse.service  # noqa: E402,F401

__all__ = [
    "Address",
    "Attachment",
    "BomLine",
    "ChangeNotice",
    "Company",
    "Contact",
    "Contract",
    "ContractFiling",
    "CoordinationMeeting",
    "CostBudget",
    "CostBudgetLine",
    "CostBudgetSignature",
    "Counter",
    "Customer",
    "CustomerSupplied",
    "CustomerSuppliedLine",
    "Department",
    "DesignErrorAck",
    "DesignErrorNotice",
    "Event",
    "ExceptionSlip",
    "GoodsReceipt",
    "GoodsReceiptLine",
    "IdempotencyRecord",
    "Inspection",
    "Invoice",
    "Location",
    "LocationStock",
    "MaterialRequirement",
    "Milestone",
    "Notification",
    "OrderReview",
    "OrderVersion",
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
    "PurchaseOrder",
    "PurchaseOrderLine",
    "PurchaseRequisition",
    "Quote",
    "QuoteVersion",
    "RequisitionLine",
    "Reservation",
    "ReviewOpinion",
    "RoutingStep",
    "SalesOrder",
    "SalesOrderLine",
    "SampleRequest",
    "SampleRound",
    "Shipment",
    "ShipmentLine",
    "StockCount",
    "StockCountLine",
    "StockLevel",
    "StockMove",
    "StockUpNotice",
    "Supplier",
    "SupplierItem",
    "Task",
    "TechPack",
    "TransferLine",
    "TransferOrder",
    "User",
    "Warehouse",
    "WorkCentre",
    "metadata",
]
