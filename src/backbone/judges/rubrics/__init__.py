"""The rubrics judges are asked with: ``pushback`` (a run's turns), ``correctness`` (an audit's
answers)."""
