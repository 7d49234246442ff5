"""crm_helpers: a simulated online shop and the customer-service / CRM operations the
course 网店客服与客户关系管理 teaches.

Start with::

    import crm_helpers
    store = crm_helpers.load_store()      # the lesson shop (same data on every machine)
    store.orders.head()

Nothing heavy happens at import: data files are read, fonts registered and shops built
only when a function is called.
"""

from .glossary import export_table
from .simulation import load_store, simulate_store
from .store import STATUSES, Store

__all__ = ["STATUSES", "Store", "export_table", "load_store", "simulate_store"]
__version__ = "0.1.0"
