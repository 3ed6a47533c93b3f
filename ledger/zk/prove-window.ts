/**
 * Proving a window: witness generation with the circuit's WebAssembly, then a Groth16 proof
 * with the proving key (zkey), both by snarkjs. Proving uses every core through worker
 * threads that stay alive afterwards; call releaseProverThreads when done.
 */
import { ZkError } from "./errors";
import { snarkjs, type Groth16Proof, type SnarkFile } from "./snarkjs-api";
import { statementToPublicSignals } from "./window-statement";
import type { WindowWitness } from "./window-witness";

/** Where the prover finds the circuit's witness generator and proving key. */
export interface ProverArtifacts {
  /** The circuit's .wasm file (path or bytes). */
  readonly wasm: SnarkFile | Uint8Array;
  /** The final .zkey of the circuit's trusted setup (path or bytes). */
  readonly zkey: SnarkFile | Uint8Array;
}

/** A proof with the public signals it proves, as snarkjs returns them. */
export interface WindowProof {
  readonly proof: Groth16Proof;
  readonly publicSignals: readonly string[];
}

/**
 * Proves a window's witness.
 *
 * @throws ZkError ZK_WITNESS_FAILED (cause: the snarkjs error) when the circuit rejects the
 *   witness, which is what happens for an operation the roots do not allow; a plain Error
 *   when the circuit's public signals differ from the statement (should never happen).
 */
export async function proveWindow(
  artifacts: ProverArtifacts,
  witness: WindowWitness,
): Promise<WindowProof> {
  let result: { proof: Groth16Proof; publicSignals: string[] };
  try {
    result = await snarkjs.groth16.fullProve(witness.input, artifacts.wasm, artifacts.zkey);
  } catch (cause) {
    throw new ZkError("ZK_WITNESS_FAILED", "the circuit rejected the witness", {}, { cause });
  }

  const expected = statementToPublicSignals(witness.params, witness.statement);
  if (expected.join(",") !== result.publicSignals.join(",")) {
    throw new Error("invariant violated: proof's public signals differ from the statement");
  }

  return result;
}
