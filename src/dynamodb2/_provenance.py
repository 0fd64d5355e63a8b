"""Whether the request being sent was built by this package.

:meth:`dynamodb2._requests.Call.send` sets :data:`BUILT_HERE` while a request built by the
package's request specs (from values its encoders checked) is on its way through layer1
and the :class:`~dynamodb2.connection.Connection`: every mapping key in it is a string
(``Dynamizer.encode`` refuses others, naming the attribute), so the ``json`` codec does
not walk the body for one, as it does a body given to layer1 or a ``Connection``
directly. (Batch entries checked to be distinct are marked on the data instead:
:class:`dynamodb2._wire.Distinct`.)
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Final

__all__ = ["BUILT_HERE"]

#: True while a request built by the package is sent (see the module's docstring).
BUILT_HERE: Final[ContextVar[bool]] = ContextVar("dynamodb2_built_here", default=False)
