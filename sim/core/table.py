"""ArrayTable: a growable struct of numpy arrays whose columns are declared as typed class attributes.

A subclass declares each column once, ``resident: I32``, so editors and type checkers see every
column; the base allocates them, grows them together by doubling (or once, to a size known in
advance: ``reserve``), and fills new rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, get_type_hints

import numpy as np
from numpy.typing import NDArray

Bool = Annotated[NDArray[np.bool_], np.bool_]
I8 = Annotated[NDArray[np.int8], np.int8]
I16 = Annotated[NDArray[np.int16], np.int16]
I32 = Annotated[NDArray[np.int32], np.int32]
I64 = Annotated[NDArray[np.int64], np.int64]
F32 = Annotated[NDArray[np.float32], np.float32]
F64 = Annotated[NDArray[np.float64], np.float64]


class ArrayTable:
    """Rows ``0 .. size-1`` of columns declared as ``name: I32`` (etc.) on the subclass."""

    COLUMNS: ClassVar[dict[str, np.dtype[Any]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        hints = get_type_hints(cls, include_extras=True)
        cls.COLUMNS = {name: np.dtype(hint.__metadata__[0]) for name, hint in hints.items() if hasattr(hint, "__metadata__")}

    def __init__(self, capacity: int) -> None:
        self.size = 0
        for name, dtype in self.COLUMNS.items():
            setattr(self, name, np.zeros(capacity, dtype=dtype))

    @property
    def capacity(self) -> int:
        """Rows allocated."""
        return len(getattr(self, next(iter(self.COLUMNS))))

    def reserve(self, rows: int) -> None:
        """Room for ``rows`` rows in all, allocated at once when short (for a total known in advance).

        Growing by doubling leaves each outgrown copy behind as freed heap the process keeps: a
        table sized once costs only the rows written (untouched zero pages are not resident).
        """
        if rows > self.capacity:
            self._grow(rows)

    def _reserve(self, needed: int) -> None:
        """Room for ``needed`` rows: grow every column to ``max(needed, 2 * capacity)`` when short."""
        capacity = self.capacity
        if needed > capacity:
            self._grow(max(needed, 2 * capacity))

    def _grow(self, grown_capacity: int) -> None:
        """Every column reallocated to ``grown_capacity`` rows, one column at a time (the old rows copied, new ones zero)."""
        for name in self.COLUMNS:
            old = getattr(self, name)
            grown = np.zeros(grown_capacity, dtype=old.dtype)
            grown[: len(old)] = old
            setattr(self, name, grown)

    def _put(self, rows: np.ndarray, columns: Mapping[str, Any]) -> None:
        """Write ``columns`` (a value or an array per column name) into ``rows``."""
        unknown = sorted(set(columns) - set(self.COLUMNS))
        if unknown:
            raise KeyError(f"{type(self).__name__} has no column {', '.join(unknown)} (columns: {', '.join(self.COLUMNS)})")
        for name, values in columns.items():
            getattr(self, name)[rows] = values

    def view(self, name: str) -> np.ndarray:
        """The filled part of one column."""
        column: np.ndarray = getattr(self, name)
        return column[: self.size]
