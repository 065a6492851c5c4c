"""gnvtools: allocate, follow up and compare the state grant for "god och nära vård".

All amounts are whole kronor (``int``), all shares exact ``Fraction``s; see ``gnvtools.core.money``.
"""

__version__ = "0.1.0"
