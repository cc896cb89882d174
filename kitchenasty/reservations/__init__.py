"""Table reservations: availability from opening hours, bookings decided inside one write transaction, the status
workflow, staff reassignment and walk-ins, the manage link, trends, and the live `reservations` room."""
