"""Reusable rule-based checkers (installed as `vrgym.verifiers`): answer extraction, numbers, …"""
