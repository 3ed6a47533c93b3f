/**
 * Poseidon over BN254 as circomlib's `Poseidon(n)` template computes it (zero capacity element,
 * 1 to 16 inputs), backed by circomlibjs. Its WebAssembly module loads once, asynchronously;
 * after that, hashing is synchronous.
 *
 * Pure: circomlibjs runs in browsers and starts no worker threads for this.
 */
import { checkFieldElement } from "./field";

/** Hashes 1 to 16 field elements to one field element. */
export type PoseidonHash = (inputs: readonly bigint[]) => bigint;

interface CircomlibPoseidon {
  (inputs: bigint[]): Uint8Array;
  F: { toObject(value: Uint8Array): bigint };
}

// circomlibjs ships no type declarations; this is the one function used from it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildPoseidon } = require("circomlibjs") as {
  buildPoseidon: () => Promise<CircomlibPoseidon>;
};

let loading: Promise<PoseidonHash> | undefined;

/**
 * Returns the Poseidon hash function, loading it on first use. Concurrent callers share one
 * load. The returned function throws RangeError for 0 or more than 16 inputs and ZkError
 * ZK_NOT_FIELD_ELEMENT for an input outside [0, r) (circomlibjs would reduce it silently).
 */
export function loadPoseidon(): Promise<PoseidonHash> {
  loading ??= buildPoseidon().then((raw) => {
    const hash: PoseidonHash = (inputs) => {
      if (inputs.length < 1 || inputs.length > 16) {
        throw new RangeError(`poseidon: ${inputs.length} inputs, wanted 1-16`);
      }
      inputs.forEach((x, i) => checkFieldElement(x, `poseidon input ${i}`));

      return raw.F.toObject(raw([...inputs]));
    };
    return hash;
  });
  return loading;
}
