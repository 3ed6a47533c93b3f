/**
 * Reads circom's binary R1CS format (iden3 "r1cs" version 1): the header with the field prime
 * and signal counts, and the constraints A·B = C, each side a sparse linear combination of
 * witness values. Used to count constraints and to check a witness against every constraint
 * without trusting the witness generator.
 */

/** One side of a constraint: witness index -> coefficient. */
export type LinearCombination = ReadonlyMap<number, bigint>;

/** A parsed R1CS file. Witness index 0 is the constant 1. */
export interface R1cs {
  readonly prime: bigint;
  readonly nWires: number;
  readonly nPublicOutputs: number;
  readonly nPublicInputs: number;
  readonly nPrivateInputs: number;
  readonly nConstraints: number;
  /** Present only when read with constraints. */
  readonly constraints: readonly (readonly [
    LinearCombination,
    LinearCombination,
    LinearCombination,
  ])[];
}

const HEADER_SECTION = 1;
const CONSTRAINT_SECTION = 2;

/**
 * Parses R1CS bytes. With `withConstraints` false only the header is decoded.
 *
 * @throws Error for bytes that are not an R1CS version 1 file.
 */
export function readR1cs(bytes: Uint8Array, withConstraints = true): R1cs {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== "r1cs" || view.getUint32(4, true) !== 1) {
    throw new Error("not an R1CS version 1 file");
  }

  const sections = new Map<number, { start: number; size: number }>();
  let pos = 12;
  const nSections = view.getUint32(8, true);
  for (let i = 0; i < nSections; i++) {
    const type = view.getUint32(pos, true);
    const size = Number(view.getBigUint64(pos + 4, true));
    sections.set(type, { start: pos + 12, size });
    pos += 12 + size;
  }

  const header = sections.get(HEADER_SECTION);
  if (header === undefined) {
    throw new Error("R1CS file has no header section");
  }
  let h = header.start;
  const n8 = view.getUint32(h, true);
  const prime = readLe(bytes, h + 4, n8);
  h += 4 + n8;
  const nWires = view.getUint32(h, true);
  const nPublicOutputs = view.getUint32(h + 4, true);
  const nPublicInputs = view.getUint32(h + 8, true);
  const nPrivateInputs = view.getUint32(h + 12, true);
  const nConstraints = view.getUint32(h + 24, true);

  const constraints: [LinearCombination, LinearCombination, LinearCombination][] = [];
  const body = sections.get(CONSTRAINT_SECTION);
  if (withConstraints && body !== undefined) {
    let c = body.start;
    const readCombination = (): LinearCombination => {
      const terms = view.getUint32(c, true);
      c += 4;
      const lc = new Map<number, bigint>();
      for (let t = 0; t < terms; t++) {
        lc.set(view.getUint32(c, true), readLe(bytes, c + 4, n8));
        c += 4 + n8;
      }
      return lc;
    };
    for (let i = 0; i < nConstraints; i++) {
      constraints.push([readCombination(), readCombination(), readCombination()]);
    }
  }

  return {
    prime,
    nWires,
    nPublicOutputs,
    nPublicInputs,
    nPrivateInputs,
    nConstraints,
    constraints,
  };
}

/**
 * Returns the index of the first constraint the witness breaks (A·B != C modulo the prime),
 * or -1 when it satisfies them all. `witness[0]` must be 1.
 *
 * @throws RangeError when the witness length differs from the number of wires.
 */
export function firstUnsatisfiedConstraint(r1cs: R1cs, witness: readonly bigint[]): number {
  if (witness.length !== r1cs.nWires) {
    throw new RangeError(`witness has ${witness.length} values, wanted ${r1cs.nWires}`);
  }

  const p = r1cs.prime;
  const evaluate = (lc: LinearCombination): bigint => {
    let sum = 0n;
    for (const [wire, coefficient] of lc) {
      sum += coefficient * witness[wire];
    }
    return sum % p;
  };
  for (let i = 0; i < r1cs.constraints.length; i++) {
    const [a, b, c] = r1cs.constraints[i];
    if ((evaluate(a) * evaluate(b) - evaluate(c)) % p !== 0n) {
      return i;
    }
  }
  return -1;
}

function readLe(bytes: Uint8Array, start: number, length: number): bigint {
  let value = 0n;
  for (let i = start + length - 1; i >= start; i--) {
    value = (value << 8n) | BigInt(bytes[i]);
  }
  return value;
}
