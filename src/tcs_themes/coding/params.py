"""scikit-learn's estimator protocol (parameters and tags) without importing scikit-learn.

:class:`~tcs_themes.coding.hybrid.HybridCoder` is a scikit-learn estimator
(cloned, cross-validated, put in a ``Pipeline``), but coding comments needs no
scikit-learn, whose import costs about a second. :class:`EstimatorParams` gives
a class whose ``__init__`` stores each keyword argument under its own name what
``sklearn.base.BaseEstimator`` gives for that protocol: ``get_params`` and
``set_params`` (nested ``set_params(model__C=...)`` too), so ``sklearn.base.clone``
works, and ``__sklearn_tags__`` (``BaseEstimator``'s defaults, built when
scikit-learn asks, so scikit-learn is imported only by code that uses it).
"""

from __future__ import annotations

import inspect
from typing import Any


class EstimatorParams:
    """``get_params`` and ``set_params`` as scikit-learn's ``BaseEstimator`` defines them."""

    @classmethod
    def _param_names(cls) -> list[str]:
        """The keyword parameters of ``__init__``, sorted."""
        signature = inspect.signature(cls.__init__)
        kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
        return sorted(p.name for p in signature.parameters.values() if p.name != "self" and p.kind in kinds)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Return the estimator's parameters; with ``deep``, also ``<name>__<param>`` of parameters that are estimators."""
        out: dict[str, Any] = {}
        for name in self._param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update((f"{name}__{key}", item) for key, item in value.get_params().items())
            out[name] = value
        return out

    def set_params(self, **params: Any) -> EstimatorParams:
        """Set parameters (``<name>__<param>`` sets a parameter of an estimator parameter); return self."""
        valid = self.get_params(deep=True)
        nested: dict[str, dict[str, Any]] = {}
        for key, value in params.items():
            name, delimiter, sub_key = key.partition("__")
            if name not in valid:
                raise ValueError(f"invalid parameter {name!r} for {type(self).__name__}; valid: {self._param_names()}")
            if delimiter:
                nested.setdefault(name, {})[sub_key] = value
            else:
                setattr(self, name, value)
                valid[name] = value
        for name, sub_params in nested.items():
            valid[name].set_params(**sub_params)
        return self

    def __sklearn_tags__(self) -> Any:
        """Return ``BaseEstimator``'s default tags (scikit-learn is imported by whoever asks for them)."""
        from sklearn.utils import Tags, TargetTags

        return Tags(estimator_type=None, target_tags=TargetTags(required=False))
