/**
 * Groth16 malleability, for tests: from one valid proof (A, B, C), anyone can derive another
 * valid proof of the same statement without any secret,
 *
 *   A' = A / r1,   B' = r1·B + r1·r2·δ,   C' = C + r2·A,
 *
 * since e(A', B') = e(A, B)·e(r2·A, δ) and e(C', δ) = e(C, δ)·e(r2·A, δ). δ is public (the
 * verification key's vk_delta_2). A verifier that keyed anything by proof bytes would count
 * the result as new.
 */
import { bn254 } from "@noble/curves/bn254";

import type { Groth16Proof, VerificationKey } from "../../ledger/zk";

type G2Affine = { x: { c0: bigint; c1: bigint }; y: { c0: bigint; c1: bigint } };

/** Returns the proof re-randomised with the scalars r1 (non-zero) and r2. */
export function rerandomiseProof(
  proof: Groth16Proof,
  vkey: VerificationKey,
  r1: bigint,
  r2: bigint,
): Groth16Proof {
  const { G1, G2, fields } = bn254;
  const a = G1.ProjectivePoint.fromAffine({ x: BigInt(proof.pi_a[0]), y: BigInt(proof.pi_a[1]) });
  const b = G2.ProjectivePoint.fromAffine(g2(proof.pi_b));
  const c = G1.ProjectivePoint.fromAffine({ x: BigInt(proof.pi_c[0]), y: BigInt(proof.pi_c[1]) });
  const delta = G2.ProjectivePoint.fromAffine(g2(vkey.vk_delta_2));

  const a2 = a.multiply(fields.Fr.inv(r1)).toAffine();
  const b2 = b
    .multiply(r1)
    .add(delta.multiply(fields.Fr.mul(r1, r2)))
    .toAffine();
  const c2 = c.add(a.multiply(r2)).toAffine();

  return {
    ...proof,
    pi_a: [a2.x.toString(), a2.y.toString(), "1"],
    pi_b: [
      [b2.x.c0.toString(), b2.x.c1.toString()],
      [b2.y.c0.toString(), b2.y.c1.toString()],
      ["1", "0"],
    ],
    pi_c: [c2.x.toString(), c2.y.toString(), "1"],
  };
}

// snarkjs writes G2 points as [[x.c0, x.c1], [y.c0, y.c1], [1, 0]].
function g2(point: string[][]): G2Affine {
  return {
    x: { c0: BigInt(point[0][0]), c1: BigInt(point[0][1]) },
    y: { c0: BigInt(point[1][0]), c1: BigInt(point[1][1]) },
  };
}
