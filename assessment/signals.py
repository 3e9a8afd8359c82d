"""What assessment tells the apps above it."""

from django.dispatch import Signal

# Sent inside the decision's transaction when the fund awards money, with ``application``,
# ``amount``, ``start_date``, ``mentor_required`` and ``conditions``. A receiver that holds
# awards (``investments``) commits the money under the budget rule and raises
# ``kit.errors.RuleError`` when the round or tier has too little left, which undoes the decision.
award_made = Signal()
