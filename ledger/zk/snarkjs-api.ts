/**
 * The parts of snarkjs this layer uses, typed. snarkjs ships no type declarations; it loads
 * with require (its CommonJS build). Loading it here, at module load, also loads its copy of
 * ffjavascript before any curve exists, so releaseProverThreads finds the curve later.
 */

/** A Groth16 proof as snarkjs writes it: affine points as decimal strings. */
export interface Groth16Proof {
  pi_a: string[];
  pi_b: string[][];
  pi_c: string[];
  protocol: string;
  curve: string;
}

/** A Groth16 verification key as snarkjs exports it. */
export interface VerificationKey {
  protocol: string;
  curve: string;
  nPublic: number;
  vk_alpha_1: string[];
  vk_beta_2: string[][];
  vk_gamma_2: string[][];
  vk_delta_2: string[][];
  IC: string[][];
  [key: string]: unknown;
}

/** A file name, or an in-memory file as fastfile understands it. */
export type SnarkFile = string | { type: "mem"; data?: Uint8Array };

/** Anything with these four methods can receive snarkjs progress messages. */
export interface SnarkLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** The snarkjs functions used by this layer and its scripts. */
export interface Snarkjs {
  groth16: {
    fullProve(
      input: unknown,
      wasm: SnarkFile | Uint8Array,
      zkey: SnarkFile | Uint8Array,
    ): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    prove(
      zkey: SnarkFile | Uint8Array,
      wtns: SnarkFile,
    ): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    verify(vkey: unknown, publicSignals: unknown, proof: unknown): Promise<boolean>;
    exportSolidityCallData(proof: unknown, publicSignals: unknown): Promise<string>;
  };
  wtns: {
    calculate(input: unknown, wasm: SnarkFile | Uint8Array, wtns: SnarkFile): Promise<void>;
    exportJson(wtns: SnarkFile): Promise<bigint[]>;
    check(r1cs: SnarkFile, wtns: SnarkFile, logger: SnarkLogger): Promise<boolean>;
  };
  r1cs: {
    info(r1cs: SnarkFile): Promise<{ nConstraints: number; nVars: number; nOutputs: number }>;
  };
  powersOfTau: {
    newAccumulator(
      curve: unknown,
      power: number,
      ptau: string,
      logger?: SnarkLogger,
    ): Promise<unknown>;
    beacon(
      oldPtau: string,
      newPtau: string,
      name: string,
      beaconHash: string,
      iterationsExp: number,
      logger?: SnarkLogger,
    ): Promise<unknown>;
    preparePhase2(oldPtau: string, newPtau: string, logger?: SnarkLogger): Promise<void>;
    verify(ptau: string, logger?: SnarkLogger): Promise<boolean>;
  };
  zKey: {
    newZKey(r1cs: string, ptau: string, zkey: string, logger?: SnarkLogger): Promise<unknown>;
    contribute(
      oldZkey: string,
      newZkey: string,
      name: string,
      entropy: string,
      logger?: SnarkLogger,
    ): Promise<Uint8Array>;
    beacon(
      oldZkey: string,
      newZkey: string,
      name: string,
      beaconHash: string,
      iterationsExp: number,
      logger?: SnarkLogger,
    ): Promise<Uint8Array | false>;
    verifyFromR1cs(
      r1cs: string,
      ptau: string,
      zkey: string,
      logger?: SnarkLogger,
    ): Promise<boolean>;
    exportVerificationKey(
      zkey: SnarkFile | Uint8Array,
      logger?: SnarkLogger,
    ): Promise<VerificationKey>;
    exportSolidityVerifier(
      zkey: string,
      templates: { groth16: string },
      logger?: SnarkLogger,
    ): Promise<string>;
  };
  curves: {
    getCurveFromName(name: string): Promise<{ terminate(): Promise<void> }>;
  };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const snarkjs = require("snarkjs") as Snarkjs;

/**
 * Stops the worker threads snarkjs starts for the BN254 curve. Proving and verifying start
 * them and keep them alive; a process that does not call this (or exit) never ends. Safe to
 * call when no curve exists; the next snarkjs call starts a new one.
 */
export async function releaseProverThreads(): Promise<void> {
  const holder = globalThis as { curve_bn128?: { terminate(): Promise<void> } | null };
  const curve = holder.curve_bn128;
  if (curve) {
    await curve.terminate();
  }
}
