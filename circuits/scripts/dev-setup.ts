/**
 * Builds the INSECURE development setup of the dev circuit and ships it in circuits/dev.
 *
 * Every random value comes from a public beacon (a SHA-256 of a fixed label), so the whole
 * setup is reproducible and its toxic waste is known to anyone: proofs under this key prove
 * nothing to an outsider. It exists so tests and local runs need no download and no
 * ceremony. Steps:
 *
 *   1. compile the dev circuit (circuits/scripts/compile-circuit.ts);
 *   2. phase 1: powersoftau new (bn128, smallest power that fits), one beacon contribution,
 *      prepare phase 2 (the slow step: about 3.5 minutes for 2^13 on two cores);
 *   3. phase 2: groth16 setup (zkey new), one beacon contribution;
 *   4. verify the final zkey against the r1cs and the phase-1 file;
 *   5. export the verification key and a Solidity verifier; write circuits/dev/manifest.json
 *      with the parameters, beacons and SHA-256 of every file.
 *
 * With --check, everything is rebuilt under circuits/build/dev-check and compared with the
 * shipped manifest instead; nothing shipped is written.
 *
 * Usage (from the repository root):
 *   node -r ts-node/register/transpile-only circuits/scripts/dev-setup.ts [--check]
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";

import { DEV_PARAMS } from "../../ledger/zk/circuit-params";
import { releaseProverThreads, snarkjs } from "../../ledger/zk/snarkjs-api";
import { compileCircuit, REPO_ROOT } from "./compile-circuit";
import { readR1cs } from "./r1cs-file";
import {
  formatJson,
  progressLogger,
  requiredPower,
  sha256File,
  sha256Text,
  solidityVerifier,
  toolVersions,
} from "./setup-tools";

/** The labels whose SHA-256 are the public beacon values. */
export const DEV_BEACON_LABELS = {
  phase1: "anchorlog INSECURE development setup, phase 1 beacon",
  phase2: "anchorlog INSECURE development setup, phase 2 beacon",
} as const;

/** 2^10 hash iterations per beacon, the least snarkjs accepts; nothing here depends on it. */
export const DEV_BEACON_ITERATIONS_EXP = 10;

const SHIP_DIR = path.join(REPO_ROOT, "circuits", "dev");
const VERIFIER_FILE = path.join(REPO_ROOT, "contracts", "generated", "ComplianceDevVerifier.sol");
const VERIFIER_CONTRACT = "ComplianceDevGroth16Verifier";

async function main(): Promise<void> {
  const check = process.argv.includes("--check");
  const work = path.join("circuits", "build", check ? "dev-check" : "dev-setup");
  const workAbs = path.join(REPO_ROOT, work);
  rmSync(workAbs, { recursive: true, force: true });
  mkdirSync(workAbs, { recursive: true });
  const log = progressLogger("[dev-setup]");
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

  const compiled = await compileCircuit(DEV_PARAMS, work);
  const r1csFile = path.join(REPO_ROOT, compiled.r1cs);
  const r1cs = readR1cs(readFileSync(r1csFile), false);
  const power = requiredPower(r1cs);
  log.info(`compiled: ${compiled.constraints} constraints, power ${power} (${elapsed()})`);

  const ptau0 = path.join(workAbs, `pot${power}_0000.ptau`);
  const ptau1 = path.join(workAbs, `pot${power}_0001.ptau`);
  const ptauFinal = path.join(workAbs, `pot${power}_final.ptau`);
  const curve = await snarkjs.curves.getCurveFromName("bn128");
  await snarkjs.powersOfTau.newAccumulator(curve, power, ptau0);
  const phase1Beacon = sha256Text(DEV_BEACON_LABELS.phase1);
  const applied = await snarkjs.powersOfTau.beacon(
    ptau0,
    ptau1,
    "INSECURE development beacon",
    phase1Beacon,
    DEV_BEACON_ITERATIONS_EXP,
  );
  if (applied === false) {
    throw new Error("powers of tau beacon failed");
  }
  log.info(`phase 1 beacon applied; preparing phase 2, the slow step (${elapsed()})`);
  await snarkjs.powersOfTau.preparePhase2(ptau1, ptauFinal);
  log.info(`phase 1 ready (${elapsed()})`);

  const stem = `compliance-window-${DEV_PARAMS.name}`;
  const zkey0 = path.join(workAbs, `${stem}_0000.zkey`);
  const zkeyFinal = path.join(workAbs, `${stem}.zkey`);
  await snarkjs.zKey.newZKey(r1csFile, ptauFinal, zkey0);
  const phase2Beacon = sha256Text(DEV_BEACON_LABELS.phase2);
  const contribution = await snarkjs.zKey.beacon(
    zkey0,
    zkeyFinal,
    "INSECURE development beacon",
    phase2Beacon,
    DEV_BEACON_ITERATIONS_EXP,
  );
  if (contribution === false) {
    throw new Error("zkey beacon failed");
  }
  const valid = await snarkjs.zKey.verifyFromR1cs(r1csFile, ptauFinal, zkeyFinal);
  if (!valid) {
    throw new Error("the final zkey does not match the r1cs and phase-1 file");
  }
  log.info(`phase 2 done and verified (${elapsed()})`);

  const vkey = await snarkjs.zKey.exportVerificationKey(zkeyFinal);
  const vkeyFile = path.join(workAbs, `${stem}.vkey.json`);
  writeFileSync(vkeyFile, await formatJson(vkey, REPO_ROOT));
  const verifier = await solidityVerifier(REPO_ROOT, zkeyFinal, VERIFIER_CONTRACT);
  const wasmFile = path.join(REPO_ROOT, compiled.wasm);
  const symFile = path.join(REPO_ROOT, compiled.sym);

  const manifest = {
    warning:
      "INSECURE development setup: every random value comes from a public beacon, so anyone " +
      "can forge proofs under this key. Never use it outside development and tests.",
    params: DEV_PARAMS,
    constraints: compiled.constraints,
    wires: compiled.wires,
    tools: toolVersions(REPO_ROOT),
    phase1: {
      curve: "bn128",
      power,
      beaconLabel: DEV_BEACON_LABELS.phase1,
      beaconHash: phase1Beacon,
      beaconIterationsExp: DEV_BEACON_ITERATIONS_EXP,
      preparedPtauSha256: sha256File(ptauFinal),
    },
    phase2: {
      beaconLabel: DEV_BEACON_LABELS.phase2,
      beaconHash: phase2Beacon,
      beaconIterationsExp: DEV_BEACON_ITERATIONS_EXP,
      contributionHash: Buffer.from(contribution).toString("hex"),
    },
    files: {
      [`${stem}.r1cs`]: sha256File(r1csFile),
      [`${stem}.sym`]: sha256File(symFile),
      [`${stem}.wasm`]: sha256File(wasmFile),
      [`${stem}.zkey`]: sha256File(zkeyFinal),
      [`${stem}.vkey.json`]: sha256File(vkeyFile),
      [`contracts/generated/${path.basename(VERIFIER_FILE)}`]: sha256Text(verifier),
    },
  };
  await releaseProverThreads();
  await curve.terminate();

  if (check) {
    const shipped = JSON.parse(readFileSync(path.join(SHIP_DIR, "manifest.json"), "utf8")) as {
      files: Record<string, string>;
    };
    const diffs = Object.entries(manifest.files).filter(([f, h]) => shipped.files[f] !== h);
    for (const [file, hash] of diffs) {
      log.error(`${file}: rebuilt ${hash}, shipped ${shipped.files[file] ?? "missing"}`);
    }
    log.info(diffs.length === 0 ? `all files match (${elapsed()})` : "MISMATCH");
    process.exitCode = diffs.length === 0 ? 0 : 1;
    return;
  }

  mkdirSync(SHIP_DIR, { recursive: true });
  copyFileSync(wasmFile, path.join(SHIP_DIR, `${stem}.wasm`));
  copyFileSync(zkeyFinal, path.join(SHIP_DIR, `${stem}.zkey`));
  copyFileSync(vkeyFile, path.join(SHIP_DIR, `${stem}.vkey.json`));
  writeFileSync(path.join(SHIP_DIR, "manifest.json"), await formatJson(manifest, REPO_ROOT));
  mkdirSync(path.dirname(VERIFIER_FILE), { recursive: true });
  writeFileSync(VERIFIER_FILE, verifier);
  log.info(`shipped to circuits/dev (${elapsed()})`);
  process.stdout.write(`${JSON.stringify(manifest.files, null, 2)}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
