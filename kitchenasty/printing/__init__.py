"""Kitchen tickets on thermal ESC/POS printers over the network, through a durable print-job table."""
