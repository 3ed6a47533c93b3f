/**
 * Witness helpers for the constraint-level tests: compute a witness with the circuit's
 * WebAssembly (snarkjs wtns calculate), and write one back as a .wtns file so snarkjs can check
 * a mutated witness against the r1cs.
 */
import { FIELD_MODULUS, snarkjs, type CircuitInputValue } from "../../ledger/zk";

/** Computes the full witness (index 0 is the constant 1); rejects when the circuit does. */
export async function calculateWitness(
  wasm: string,
  input: Readonly<Record<string, CircuitInputValue>>,
): Promise<bigint[]> {
  const file: { type: "mem"; data?: Uint8Array } = { type: "mem" };
  await snarkjs.wtns.calculate(input, wasm, file);
  return snarkjs.wtns.exportJson(file);
}

/**
 * Runs `fn` with console.log and console.error muted: the witness generator prints every
 * failed assertion there, and the tests that expect failures check the thrown error instead.
 */
export async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const { log, error } = console;
  console.log = () => undefined;
  console.error = () => undefined;
  try {
    return await fn();
  } finally {
    console.log = log;
    console.error = error;
  }
}

/**
 * Encodes a witness in the iden3 "wtns" version 2 format: a header section (field size,
 * prime, count) and the values, 32 bytes little-endian each.
 */
export function encodeWtns(values: readonly bigint[]): Uint8Array {
  const n8 = 32;
  const headerSize = 4 + n8 + 4;
  const valuesSize = n8 * values.length;
  const out = new Uint8Array(12 + 12 + headerSize + 12 + valuesSize);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode("wtns"), 0);
  view.setUint32(4, 2, true);
  view.setUint32(8, 2, true);

  let pos = 12;
  view.setUint32(pos, 1, true);
  view.setBigUint64(pos + 4, BigInt(headerSize), true);
  view.setUint32(pos + 12, n8, true);
  writeLe(out, pos + 16, FIELD_MODULUS, n8);
  view.setUint32(pos + 16 + n8, values.length, true);
  pos += 12 + headerSize;

  view.setUint32(pos, 2, true);
  view.setBigUint64(pos + 4, BigInt(valuesSize), true);
  values.forEach((value, i) => writeLe(out, pos + 12 + i * n8, value, n8));
  return out;
}

function writeLe(out: Uint8Array, start: number, value: bigint, length: number): void {
  let rest = value;
  for (let i = 0; i < length; i++) {
    out[start + i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
}
