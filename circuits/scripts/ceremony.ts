/**
 * The production trusted setup of a compliance circuit: phase 2 on top of a public phase-1
 * ceremony file (for example a Perpetual Powers of Tau file, prepared for phase 2), with any
 * number of contributors, each running one command on their own machine.
 *
 * A ceremony lives in one folder that travels from contributor to contributor:
 *
 *   transcript.json            what happened, in order (see CeremonyTranscript)
 *   circuit_0000.zkey          the initial key from groth16 setup
 *   circuit_0001.zkey ...      one key per contribution, each built on the one before
 *   circuit_final.zkey         the verified final key (after finalize)
 *   verification_key.json      its verification key
 *
 * With at least one honest contributor (one who destroys their randomness), no one can forge
 * proofs. Each contributor should check the transcript's previous key hash before adding to
 * it; `contribute` refuses to build on a key whose bytes differ from the transcript.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";

import { ZkError } from "../../ledger/zk/errors";
import { snarkjs, type SnarkLogger } from "../../ledger/zk/snarkjs-api";
import { readR1cs } from "./r1cs-file";
import { ptauPower, requiredPower, sha256File } from "./setup-tools";

/** One phase-2 step: the initial key, a contribution or the beacon. */
export interface CeremonyStep {
  readonly kind: "initial" | "contribution" | "beacon";
  /** Contributor's name; for the beacon, its description. */
  readonly name: string;
  /** The key file this step produced, relative to the ceremony folder. */
  readonly zkey: string;
  /** SHA-256 of that key file. */
  readonly zkeySha256: string;
  /** The contribution hash snarkjs prints (hex), which the contributor should publish. */
  readonly contributionHash?: string;
  /** For the beacon: the public random value (hex) and 2^iterationsExp hash iterations. */
  readonly beaconHash?: string;
  readonly iterationsExp?: number;
  /** ISO 8601 time the step finished. */
  readonly time: string;
}

/** The ceremony record, stored as transcript.json. */
export interface CeremonyTranscript {
  readonly version: 1;
  readonly circuit: { readonly r1csSha256: string; readonly constraints: number };
  readonly phase1: {
    readonly file: string;
    readonly sha256: string;
    readonly power: number;
    readonly requiredPower: number;
  };
  readonly steps: readonly CeremonyStep[];
  readonly final?: {
    readonly zkey: string;
    readonly zkeySha256: string;
    readonly verificationKeySha256: string;
    readonly verifiedAt: string;
  };
}

const TRANSCRIPT = "transcript.json";

/**
 * Starts a ceremony in `dir`: checks the phase-1 file against the SHA-256 the caller trusts,
 * runs groth16 setup and writes the transcript.
 *
 * @throws ZkError ZK_PTAU_HASH_MISMATCH when the phase-1 file's hash differs;
 *   ZK_SETUP_INVALID when the file is too small for the circuit or not prepared for phase 2,
 *   or when `dir` already holds a ceremony.
 */
export async function initCeremony(options: {
  dir: string;
  r1cs: string;
  ptau: string;
  ptauSha256: string;
  logger?: SnarkLogger;
}): Promise<CeremonyTranscript> {
  const { dir, r1cs, ptau } = options;
  const expected = options.ptauSha256.toLowerCase();
  const actual = sha256File(ptau);
  if (actual !== expected) {
    throw new ZkError("ZK_PTAU_HASH_MISMATCH", `phase-1 file hash ${actual}, wanted ${expected}`, {
      expected,
      actual,
    });
  }
  if (existsSync(path.join(dir, TRANSCRIPT))) {
    throw new ZkError("ZK_SETUP_INVALID", `${dir} already holds a ceremony`, { dir });
  }

  const header = readR1cs(readFileSync(r1cs), false);
  const zkey = "circuit_0000.zkey";
  const made = await snarkjs.zKey.newZKey(r1cs, ptau, path.join(dir, zkey), options.logger);
  if (made === -1) {
    throw new ZkError(
      "ZK_SETUP_INVALID",
      `groth16 setup refused the phase-1 file: it must be prepared for phase 2 and of power ` +
        `${requiredPower(header)} or more`,
      { power: requiredPower(header) },
    );
  }

  const transcript: CeremonyTranscript = {
    version: 1,
    circuit: { r1csSha256: sha256File(r1cs), constraints: header.nConstraints },
    phase1: {
      file: path.basename(ptau),
      sha256: actual,
      power: ptauPower(ptau),
      requiredPower: requiredPower(header),
    },
    steps: [
      {
        kind: "initial",
        name: "groth16 setup",
        zkey,
        zkeySha256: sha256File(path.join(dir, zkey)),
        time: new Date().toISOString(),
      },
    ],
  };
  writeTranscript(dir, transcript);
  return transcript;
}

/**
 * Adds one contribution on top of the ceremony's latest key. `entropy` is mixed with fresh
 * system randomness by snarkjs; by default 32 random bytes are used.
 *
 * @throws ZkError ZK_BAD_TRANSCRIPT when the latest key's bytes differ from the transcript or
 *   the ceremony is already finalized.
 */
export async function contribute(options: {
  dir: string;
  name: string;
  entropy?: string;
  logger?: SnarkLogger;
}): Promise<CeremonyStep> {
  const { dir, name } = options;
  if (name.trim() === "") {
    throw new RangeError("contribute: a contributor name is required");
  }
  const transcript = readTranscript(dir);
  const previous = latestStep(dir, transcript);

  const zkey = `circuit_${String(transcript.steps.length).padStart(4, "0")}.zkey`;
  const entropy = options.entropy ?? randomBytes(32).toString("hex");
  const hash = await snarkjs.zKey.contribute(
    path.join(dir, previous.zkey),
    path.join(dir, zkey),
    name,
    entropy,
    options.logger,
  );

  const step: CeremonyStep = {
    kind: "contribution",
    name,
    zkey,
    zkeySha256: sha256File(path.join(dir, zkey)),
    contributionHash: Buffer.from(hash).toString("hex"),
    time: new Date().toISOString(),
  };
  writeTranscript(dir, { ...transcript, steps: [...transcript.steps, step] });
  return step;
}

/**
 * Applies a public random beacon (for example a future block hash, as hex) as the last
 * contribution. Optional; it removes any doubt that the last contributor chose their
 * randomness after seeing the others.
 *
 * @throws ZkError ZK_BAD_TRANSCRIPT as contribute; ZK_SETUP_INVALID when snarkjs refuses the
 *   beacon (the value must be 1-255 bytes of hex, iterationsExp an integer in [10, 63]).
 */
export async function applyBeacon(options: {
  dir: string;
  beaconHash: string;
  iterationsExp: number;
  name?: string;
  logger?: SnarkLogger;
}): Promise<CeremonyStep> {
  const { dir, beaconHash, iterationsExp } = options;
  const transcript = readTranscript(dir);
  const previous = latestStep(dir, transcript);
  if (transcript.steps.some((s) => s.kind === "beacon")) {
    throw new ZkError("ZK_BAD_TRANSCRIPT", "the ceremony already has a beacon", {});
  }

  const zkey = `circuit_${String(transcript.steps.length).padStart(4, "0")}.zkey`;
  const name = options.name ?? "final beacon";
  const hash = await snarkjs.zKey.beacon(
    path.join(dir, previous.zkey),
    path.join(dir, zkey),
    name,
    beaconHash,
    iterationsExp,
    options.logger,
  );
  if (hash === false) {
    throw new ZkError("ZK_SETUP_INVALID", "snarkjs refused the beacon value or iterations", {
      beaconHash,
      iterationsExp,
    });
  }

  const step: CeremonyStep = {
    kind: "beacon",
    name,
    zkey,
    zkeySha256: sha256File(path.join(dir, zkey)),
    contributionHash: Buffer.from(hash).toString("hex"),
    beaconHash,
    iterationsExp,
    time: new Date().toISOString(),
  };
  writeTranscript(dir, { ...transcript, steps: [...transcript.steps, step] });
  return step;
}

/**
 * Verifies the latest key against the r1cs and the phase-1 file (which snarkjs checks step by
 * step back to the initial key), then stores it as circuit_final.zkey with its verification
 * key and records both hashes.
 *
 * @throws ZkError ZK_BAD_TRANSCRIPT when the r1cs or phase-1 file differ from the ones the
 *   ceremony started with, or a key differs from the transcript; ZK_SETUP_INVALID when snarkjs
 *   finds the key invalid.
 */
export async function finalizeCeremony(options: {
  dir: string;
  r1cs: string;
  ptau: string;
  logger?: SnarkLogger;
}): Promise<CeremonyTranscript> {
  const { dir, r1cs, ptau } = options;
  const transcript = readTranscript(dir);
  if (sha256File(r1cs) !== transcript.circuit.r1csSha256) {
    throw new ZkError("ZK_BAD_TRANSCRIPT", "the r1cs differs from the ceremony's", {});
  }
  if (sha256File(ptau) !== transcript.phase1.sha256) {
    throw new ZkError("ZK_BAD_TRANSCRIPT", "the phase-1 file differs from the ceremony's", {});
  }
  const latest = latestStep(dir, transcript);

  const valid = await snarkjs.zKey.verifyFromR1cs(
    r1cs,
    ptau,
    path.join(dir, latest.zkey),
    options.logger,
  );
  if (!valid) {
    throw new ZkError("ZK_SETUP_INVALID", `${latest.zkey} does not verify`, {
      zkey: latest.zkey,
    });
  }

  const finalZkey = "circuit_final.zkey";
  writeFileSync(path.join(dir, finalZkey), readFileSync(path.join(dir, latest.zkey)));
  const vkey = await snarkjs.zKey.exportVerificationKey(path.join(dir, finalZkey));
  const vkeyFile = path.join(dir, "verification_key.json");
  writeFileSync(vkeyFile, `${JSON.stringify(vkey, null, 2)}\n`);

  const done: CeremonyTranscript = {
    ...transcript,
    final: {
      zkey: finalZkey,
      zkeySha256: sha256File(path.join(dir, finalZkey)),
      verificationKeySha256: sha256File(vkeyFile),
      verifiedAt: new Date().toISOString(),
    },
  };
  writeTranscript(dir, done);
  return done;
}

/**
 * Reads a ceremony's transcript.
 *
 * @throws ZkError ZK_BAD_TRANSCRIPT when it is missing or malformed.
 */
export function readTranscript(dir: string): CeremonyTranscript {
  let parsed: CeremonyTranscript;
  try {
    parsed = JSON.parse(readFileSync(path.join(dir, TRANSCRIPT), "utf8")) as CeremonyTranscript;
  } catch (cause) {
    throw new ZkError("ZK_BAD_TRANSCRIPT", `cannot read ${TRANSCRIPT} in ${dir}`, {}, { cause });
  }
  if (parsed.version !== 1 || !Array.isArray(parsed.steps) || parsed.steps.length === 0) {
    throw new ZkError("ZK_BAD_TRANSCRIPT", `${TRANSCRIPT} is not a version 1 transcript`, {});
  }
  return parsed;
}

function latestStep(dir: string, transcript: CeremonyTranscript): CeremonyStep {
  if (transcript.final !== undefined) {
    throw new ZkError("ZK_BAD_TRANSCRIPT", "the ceremony is already finalized", {});
  }
  const latest = transcript.steps[transcript.steps.length - 1];
  const actual = sha256File(path.join(dir, latest.zkey));
  if (actual !== latest.zkeySha256) {
    throw new ZkError("ZK_BAD_TRANSCRIPT", `${latest.zkey} differs from the transcript`, {
      zkey: latest.zkey,
      expected: latest.zkeySha256,
      actual,
    });
  }
  return latest;
}

function writeTranscript(dir: string, transcript: CeremonyTranscript): void {
  writeFileSync(path.join(dir, TRANSCRIPT), `${JSON.stringify(transcript, null, 2)}\n`);
}
