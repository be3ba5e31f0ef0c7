"""The provider network (issue 12): medical institutions, their locations, doctors and agreed
prices; the provider users who act for one; the eligibility check at the front desk."""
