"""Zdrave: voluntary health insurance, the way Bulgarian insurers sell it."""
