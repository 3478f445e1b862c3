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
from orderflow.quality.models import Inspection
from orderflow.quotes.models import Quote, QuoteVersion
from orderflow.review.models import OrderReview, ReviewOpinion
from orderflow.sales.models import SalesOrder, SalesOrderLine
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
import orderflow.procurement.ports  # noqa: E402
import orderflow.quality.service  # noqa: E402
import orderflow.warehouse.service  # noqa: E402,F401

__all__ = [
    "Address",
    "Attachment",
    "ChangeNotice",
    "DesignErrorAck",
    "DesignErrorNotice",
    "Contract",
    "ContractFiling",
    "OrderReview",
    "OrderVersion",
    "Quote",
    "QuoteVersion",
    "ReviewOpinion",
    "StockUpNotice",
    "Company",
    "Contact",
    "Counter",
    "Customer",
    "CustomerSupplied",
    "CustomerSuppliedLine",
    "Department",
    "Event",
    "ExceptionSlip",
    "GoodsReceipt",
    "GoodsReceiptLine",
    "IdempotencyRecord",
    "Inspection",
    "Invoice",
    "Location",
    "LocationStock",
    "Notification",
    "Payment",
    "PriceListEntry",
    "Product",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "PurchaseRequisition",
    "RequisitionLine",
    "Reservation",
    "SalesOrder",
    "SalesOrderLine",
    "Shipment",
    "ShipmentLine",
    "StockLevel",
    "StockCount",
    "StockCountLine",
    "StockMove",
    "Supplier",
    "SupplierItem",
    "Task",
    "TransferLine",
    "TransferOrder",
    "User",
    "Warehouse",
    "metadata",
]
