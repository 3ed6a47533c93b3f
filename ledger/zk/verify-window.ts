/**
 * Verifying a compliance proof: compute the public signals from the statement the verifier
 * trusts, then let Groth16 check the proof against them and the verification key.
 *
 * snarkjs 0.7.6, the version tested here, rejects any public signal outside [0, r), so a
 * signal shifted by the field modulus cannot pass for the original. Groth16 proofs are
 * malleable: never use proof bytes as an identifier. The verifier must itself establish that
 * the statement's roots, commitments and times are the anchored ones (docs/compliance.md).
 *
 * No Node-only APIs here; snarkjs has a browser build.
 */
import { publicSignalCount, type CircuitParams } from "./circuit-params";
import { ZkError } from "./errors";
import { snarkjs, type Groth16Proof, type VerificationKey } from "./snarkjs-api";
import { statementToPublicSignals, type WindowStatement } from "./window-statement";

/**
 * Checks a proof against raw public signals (decimal strings) and a verification key. Returns
 * true only when Groth16 accepts; false for a proof that does not verify, including signals
 * outside [0, r) and proof points off the curve.
 *
 * @throws ZkError ZK_BAD_VERIFICATION_KEY for a key that is not a BN254 Groth16 key;
 *   ZK_BAD_PUBLIC_SIGNALS when the number of signals differs from the key's or one is not a
 *   decimal string; ZK_BAD_PROOF_FORMAT for a proof of the wrong shape.
 */
export async function verifyProofSignals(
  vkey: VerificationKey,
  publicSignals: readonly string[],
  proof: Groth16Proof,
): Promise<boolean> {
  checkVerificationKey(vkey);
  if (!Array.isArray(publicSignals) || publicSignals.length !== vkey.nPublic) {
    throw new ZkError("ZK_BAD_PUBLIC_SIGNALS", `key expects ${vkey.nPublic} public signals`, {
      expected: vkey.nPublic,
      actual: Array.isArray(publicSignals) ? publicSignals.length : undefined,
    });
  }
  if (!publicSignals.every((s) => typeof s === "string" && /^[0-9]+$/.test(s))) {
    throw new ZkError("ZK_BAD_PUBLIC_SIGNALS", "public signals must be decimal strings", {});
  }
  checkProofShape(proof);

  try {
    return await snarkjs.groth16.verify(vkey, [...publicSignals], proof);
  } catch (cause) {
    throw new ZkError("ZK_BAD_PROOF_FORMAT", "snarkjs could not read the proof", {}, { cause });
  }
}

/**
 * Verifies that `proof` proves `statement` for circuits with `params`. Returns true or false
 * as {@link verifyProofSignals}.
 *
 * @throws ZkError as statementToPublicSignals and verifyProofSignals; ZK_BAD_VERIFICATION_KEY
 *   when the key is for a different number of operations.
 */
export async function verifyWindow(
  vkey: VerificationKey,
  params: CircuitParams,
  statement: WindowStatement,
  proof: Groth16Proof,
): Promise<boolean> {
  checkVerificationKey(vkey);
  if (vkey.nPublic !== publicSignalCount(params)) {
    throw new ZkError("ZK_BAD_VERIFICATION_KEY", `key has ${vkey.nPublic} public signals`, {
      expected: publicSignalCount(params),
      actual: vkey.nPublic,
    });
  }

  const signals = statementToPublicSignals(params, statement);

  return verifyProofSignals(vkey, signals, proof);
}

/**
 * Like {@link verifyWindow}, but throws instead of returning false.
 *
 * @throws ZkError ZK_PROOF_REJECTED when the proof does not verify, else as verifyWindow.
 */
export async function assertWindowProof(
  vkey: VerificationKey,
  params: CircuitParams,
  statement: WindowStatement,
  proof: Groth16Proof,
): Promise<void> {
  const ok = await verifyWindow(vkey, params, statement, proof);

  if (!ok) {
    throw new ZkError("ZK_PROOF_REJECTED", "the compliance proof does not verify", {
      windowStart: statement.windowStart,
    });
  }
}

function checkVerificationKey(vkey: VerificationKey): void {
  const ok =
    typeof vkey === "object" &&
    vkey !== null &&
    vkey.protocol === "groth16" &&
    vkey.curve === "bn128" &&
    Number.isInteger(vkey.nPublic) &&
    Array.isArray(vkey.IC) &&
    vkey.IC.length === vkey.nPublic + 1;
  if (!ok) {
    throw new ZkError("ZK_BAD_VERIFICATION_KEY", "not a BN254 Groth16 verification key", {});
  }
}

function checkProofShape(proof: Groth16Proof): void {
  const point = (p: unknown, size: number): boolean =>
    Array.isArray(p) && p.length === size && p.every((c) => typeof c === "string");
  const ok =
    typeof proof === "object" &&
    proof !== null &&
    proof.protocol === "groth16" &&
    point(proof.pi_a, 3) &&
    point(proof.pi_c, 3) &&
    Array.isArray(proof.pi_b) &&
    proof.pi_b.length === 3 &&
    proof.pi_b.every((c) => point(c, 2));
  if (!ok) {
    throw new ZkError("ZK_BAD_PROOF_FORMAT", "proof is not a snarkjs Groth16 proof", {});
  }
}
