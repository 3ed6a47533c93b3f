/**
 * A snarkjs Groth16 proof in the word order of the Solidity verifier snarkjs generates:
 * pA (x, y), pB ((x.c1, x.c0), (y.c1, y.c0)), pC (x, y). The G2 coordinates swap because the
 * EIP-197 pairing precompile takes the imaginary part first.
 *
 * Pure: no Node-only APIs.
 */
import { ZkError } from "./errors";
import type { Groth16Proof } from "./snarkjs-api";

/** The eight words of a proof as `uint256[8]` calldata, decimal strings. */
export type SolidityProof = [string, string, string, string, string, string, string, string];

/**
 * Lays a proof out as the contract's `uint256[8]` argument.
 *
 * @throws ZkError ZK_BAD_PROOF_FORMAT for a proof of the wrong shape.
 */
export function proofToSolidity(proof: Groth16Proof): SolidityProof {
  const ok =
    Array.isArray(proof?.pi_a) &&
    Array.isArray(proof?.pi_c) &&
    Array.isArray(proof?.pi_b) &&
    proof.pi_b.length >= 2 &&
    proof.pi_b.every((c) => Array.isArray(c));
  if (!ok) {
    throw new ZkError("ZK_BAD_PROOF_FORMAT", "proof is not a snarkjs Groth16 proof", {});
  }

  const words = [
    proof.pi_a[0],
    proof.pi_a[1],
    proof.pi_b[0][1],
    proof.pi_b[0][0],
    proof.pi_b[1][1],
    proof.pi_b[1][0],
    proof.pi_c[0],
    proof.pi_c[1],
  ];
  if (!words.every((w) => typeof w === "string" && /^[0-9]+$/.test(w))) {
    throw new ZkError("ZK_BAD_PROOF_FORMAT", "proof coordinates must be decimal strings", {});
  }
  return words as SolidityProof;
}
