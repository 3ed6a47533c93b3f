/**
 * Compiles the dev circuit from the current sources once per test process, into a fresh
 * folder under circuits/build (removed when the process exits). Tests compare its output with
 * the shipped manifest and use its r1cs and signal map to check witnesses constraint by
 * constraint.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as path from "node:path";

import { DEV_PARAMS } from "../../ledger/zk";
import {
  compileCircuit,
  REPO_ROOT,
  type CompiledCircuit,
} from "../../circuits/scripts/compile-circuit";

let compiling: Promise<CompiledCircuit> | undefined;

/** Compiles the dev circuit (about 10-20 s) or returns the compilation already made. */
export function compileDevCircuit(): Promise<CompiledCircuit> {
  if (compiling === undefined) {
    // circuits/build is git-ignored, so a fresh clone does not have it yet.
    mkdirSync(path.join(REPO_ROOT, "circuits", "build"), { recursive: true });
    const dir = mkdtempSync(path.join(REPO_ROOT, "circuits", "build", "test-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    compiling = compileCircuit(DEV_PARAMS, path.relative(REPO_ROOT, dir));
  }
  return compiling;
}

/** Absolute path of a file the compilation produced. */
export function builtFile(relative: string): string {
  return path.join(REPO_ROOT, relative);
}

/**
 * Reads a circom .sym file into a map from signal name (e.g. "main.check[0].time") to witness
 * index. Signals the optimiser removed (witness index -1) are left out.
 */
export function readSignalMap(symFile: string): ReadonlyMap<string, number> {
  const map = new Map<string, number>();
  for (const line of readFileSync(symFile, "utf8").split("\n")) {
    const [, witness, , name] = line.split(",");
    if (name !== undefined && Number(witness) >= 0) {
      map.set(name, Number(witness));
    }
  }
  return map;
}
