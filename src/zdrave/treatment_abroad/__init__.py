"""Best Doctors treatment abroad as a managed case (001 / 003 §V–VII): notification, medical
file, expert opinion, the member's choice, pre-certificate, travel and stay, daily allowance,
return, post-treatment medicines, follow-up; money through the claims payment module."""
