"""KitchenAsty: a self-hosted restaurant ordering and kitchen display appliance."""

__version__ = "0.1.0"
