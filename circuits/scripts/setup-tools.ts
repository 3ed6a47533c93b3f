/**
 * Helpers shared by the setup scripts: file hashing, the smallest phase-1 power a circuit
 * needs, a progress logger for snarkjs, and export of the Solidity verifier.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as path from "node:path";

import { snarkjs, type SnarkLogger } from "../../ledger/zk/snarkjs-api";
import type { R1cs } from "./r1cs-file";

/** Hex SHA-256 of a file's bytes. */
export function sha256File(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** Hex SHA-256 of a UTF-8 text; used to turn a readable label into a beacon value. */
export function sha256Text(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * The smallest power p with 2^p >= constraints + public inputs + outputs + 1, the evaluation
 * domain snarkjs's Groth16 setup needs; a phase-1 file of at least this power is required.
 */
export function requiredPower(r1cs: R1cs): number {
  const needed = r1cs.nConstraints + r1cs.nPublicInputs + r1cs.nPublicOutputs + 1;
  return Math.max(1, Math.ceil(Math.log2(needed)));
}

/** A snarkjs logger that writes info, warnings and errors to stdout, prefixed; debug is dropped. */
export function progressLogger(prefix: string): SnarkLogger {
  const write = (level: string) => (message: string) =>
    process.stdout.write(`${prefix} ${level}${message}\n`);
  return {
    debug: () => undefined,
    info: write(""),
    warn: write("warning: "),
    error: write("error: "),
  };
}

/**
 * Serialises a value as JSON formatted the way the repository's Prettier settings format JSON,
 * so shipped JSON files pass the format check and keep the hash recorded for them.
 */
export async function formatJson(value: unknown, repoRoot: string): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const prettier = require("prettier") as {
    resolveConfig(file: string): Promise<Record<string, unknown> | null>;
    format(text: string, options: Record<string, unknown>): Promise<string>;
  };
  const config = await prettier.resolveConfig(path.join(repoRoot, "package.json"));

  return prettier.format(JSON.stringify(value), { ...config, parser: "json" });
}

/** Versions of the toolchain, for transcripts and manifests. */
export function toolVersions(repoRoot: string): { circom2: string; snarkjs: string } {
  const version = (pkg: string): string =>
    (
      JSON.parse(
        readFileSync(path.join(repoRoot, "node_modules", pkg, "package.json"), "utf8"),
      ) as { version: string }
    ).version;
  return { circom2: version("circom2"), snarkjs: version("snarkjs") };
}

/**
 * Returns the Groth16 Solidity verifier for a final zkey, with the contract renamed to
 * `contractName` so several verifiers can live in one project.
 */
export async function solidityVerifier(
  repoRoot: string,
  zkey: string,
  contractName: string,
): Promise<string> {
  const template = readFileSync(
    path.join(repoRoot, "node_modules", "snarkjs", "templates", "verifier_groth16.sol.ejs"),
    "utf8",
  );

  const source = await snarkjs.zKey.exportSolidityVerifier(zkey, { groth16: template });

  return source.replace("contract Groth16Verifier", `contract ${contractName}`);
}

/**
 * Reads the power of a phase-1 (.ptau) file from its header: the file supports circuits of up
 * to 2^power constraints (counting public inputs).
 *
 * @throws Error for a file that is not a ptau file.
 */
export function ptauPower(file: string): number {
  const bytes = readFileSync(file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.subarray(0, 4).toString("latin1") !== "ptau") {
    throw new Error(`${file} is not a ptau file`);
  }

  let pos = 12;
  for (let i = 0; i < view.getUint32(8, true); i++) {
    const type = view.getUint32(pos, true);
    const size = Number(view.getBigUint64(pos + 4, true));
    if (type === 1) {
      const n8 = view.getUint32(pos + 12, true);
      return view.getUint32(pos + 16 + n8, true);
    }
    pos += 12 + size;
  }
  throw new Error(`${file} has no header section`);
}
