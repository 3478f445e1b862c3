from orderflow.policy.loader import Policy, PolicyError, load_policy

__all__ = ["Policy", "PolicyError", "load_policy"]
