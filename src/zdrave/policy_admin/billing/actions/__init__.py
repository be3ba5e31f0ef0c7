"""Every write of billing: payments (``payments``), bank statements (``statements``), arrears
and repricing tasks (``tasks``), terminations (``termination``)."""
