"""Safety checkers: refusal detection, compliance signs and the binary safety judge (plus decoding/leaks).

Each owner exports its names here; the judge's (`detect_refusal`, `compliance_signs`,
`judge_harmful`, `judge_benign`) live in `refusal`, `compliance` and `judge`.
"""

from vrgym.verifiers.safety.compliance import compliance_signs
from vrgym.verifiers.safety.decode import decode_candidates
from vrgym.verifiers.safety.judge import judge_benign, judge_harmful
from vrgym.verifiers.safety.leak import find_leaks
from vrgym.verifiers.safety.refusal import RefusalSignal, detect_refusal

__all__ = ["RefusalSignal", "compliance_signs", "detect_refusal", "judge_benign", "judge_harmful"]
__all__ += ["decode_candidates", "find_leaks"]
