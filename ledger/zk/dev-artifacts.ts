/**
 * Locations of the shipped development setup in circuits/dev: the dev circuit's witness
 * generator, its proving key and its verification key.
 *
 * WARNING: the development setup is INSECURE. Its phase-1 and phase-2 randomness come from
 * public beacon values, so anyone can forge proofs that verify under its key. It exists so
 * tests and local runs work offline; production keys come from a ceremony
 * (circuits/scripts/ceremony.ts).
 *
 * Node-only: resolves paths on disk.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";

import { DEV_PARAMS } from "./circuit-params";
import type { ProverArtifacts } from "./prove-window";
import type { VerificationKey } from "./snarkjs-api";

/** The folder holding the shipped development setup. */
export const DEV_SETUP_DIR = path.resolve(__dirname, "..", "..", "circuits", "dev");

/** Paths of the shipped development files. */
export interface DevSetupFiles extends ProverArtifacts {
  readonly wasm: string;
  readonly zkey: string;
  readonly verificationKey: string;
  readonly manifest: string;
}

/** Returns the paths of the shipped development files (they are not read here). */
export function devSetupFiles(): DevSetupFiles {
  const base = path.join(DEV_SETUP_DIR, `compliance-window-${DEV_PARAMS.name}`);
  return {
    wasm: `${base}.wasm`,
    zkey: `${base}.zkey`,
    verificationKey: `${base}.vkey.json`,
    manifest: path.join(DEV_SETUP_DIR, "manifest.json"),
  };
}

/** Reads the development verification key. INSECURE: see the module comment. */
export function loadDevVerificationKey(): VerificationKey {
  return JSON.parse(readFileSync(devSetupFiles().verificationKey, "utf8")) as VerificationKey;
}
