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
from orderflow.files.models import Attachment
from orderflow.inventory.models import Reservation, StockLevel, StockMove, Warehouse
from orderflow.notify.models import Notification
from orderflow.org.models import Company, Department
from orderflow.parties.models import Address, Contact, Customer
from orderflow.quotes.models import Quote, QuoteVersion
from orderflow.review.models import OrderReview, ReviewOpinion
from orderflow.sales.models import SalesOrder, SalesOrderLine
from orderflow.shipping.models import Shipment, ShipmentLine
from orderflow.stockup.models import StockUpNotice

metadata = Base.metadata

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
    "Department",
    "Event",
    "IdempotencyRecord",
    "Invoice",
    "Notification",
    "Payment",
    "PriceListEntry",
    "Product",
    "Reservation",
    "SalesOrder",
    "SalesOrderLine",
    "Shipment",
    "ShipmentLine",
    "StockLevel",
    "StockMove",
    "Task",
    "User",
    "Warehouse",
    "metadata",
]
