"""The ``audioop`` C module: in the standard library to 3.12, from the ``audioop-lts`` package after."""

import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop

__all__ = ["audioop"]
