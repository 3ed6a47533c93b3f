/**
 * Command line for the production trusted setup (see ceremony.ts). One command per step:
 *
 *   init        --dir D --r1cs R --ptau P --ptau-sha256 H   check P against H, groth16 setup
 *   contribute  --dir D --name "Jane Officer" [--entropy T] add one contribution
 *   beacon      --dir D --hash HEX [--iterations-exp 10]      optional public beacon, last
 *   finalize    --dir D --r1cs R --ptau P [--verifier F.sol]  verify, export keys (and verifier)
 *   show        --dir D                                        print the transcript
 *
 * Usage (from the repository root):
 *   node -r ts-node/register/transpile-only circuits/scripts/ceremony-cli.ts <command> ...
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";

import { Command } from "commander";

import { isZkError } from "../../ledger/zk/errors";
import { releaseProverThreads } from "../../ledger/zk/snarkjs-api";
import {
  applyBeacon,
  contribute,
  finalizeCeremony,
  initCeremony,
  readTranscript,
} from "./ceremony";
import { REPO_ROOT } from "./compile-circuit";
import { progressLogger, solidityVerifier } from "./setup-tools";

const logger = progressLogger("[ceremony]");
const print = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
};

const program = new Command("ceremony")
  .description("phase-2 trusted setup of a compliance circuit")
  .showHelpAfterError();

program
  .command("init")
  .description("check the phase-1 file and run groth16 setup")
  .requiredOption("--dir <dir>", "ceremony folder (created empty beforehand)")
  .requiredOption("--r1cs <file>", "the compiled circuit")
  .requiredOption("--ptau <file>", "phase-1 file, prepared for phase 2")
  .requiredOption("--ptau-sha256 <hex>", "SHA-256 the phase-1 file must have")
  .action(async (o: { dir: string; r1cs: string; ptau: string; ptauSha256: string }) => {
    print(await initCeremony({ ...o, logger }));
  });

program
  .command("contribute")
  .description("add one phase-2 contribution")
  .requiredOption("--dir <dir>", "ceremony folder")
  .requiredOption("--name <name>", "contributor name, recorded in the key and transcript")
  .option("--entropy <text>", "extra entropy, mixed with system randomness")
  .action(async (o: { dir: string; name: string; entropy?: string }) => {
    const step = await contribute({ ...o, logger });
    print(step);
    process.stdout.write(`publish your contribution hash: ${step.contributionHash}\n`);
  });

program
  .command("beacon")
  .description("apply a public random beacon as the last contribution")
  .requiredOption("--dir <dir>", "ceremony folder")
  .requiredOption("--hash <hex>", "public random value, e.g. a block hash announced in advance")
  .option("--iterations-exp <n>", "2^n hash iterations", "10")
  .option("--name <name>", "description of the beacon")
  .action(async (o: { dir: string; hash: string; iterationsExp: string; name?: string }) => {
    const iterationsExp = Number(o.iterationsExp);
    print(await applyBeacon({ dir: o.dir, beaconHash: o.hash, iterationsExp, name: o.name }));
  });

program
  .command("finalize")
  .description("verify the latest key and export the final keys")
  .requiredOption("--dir <dir>", "ceremony folder")
  .requiredOption("--r1cs <file>", "the compiled circuit")
  .requiredOption("--ptau <file>", "the same phase-1 file as init")
  .option("--verifier <file>", "also write a Solidity Groth16 verifier here")
  .option("--contract <name>", "contract name for the verifier", "ComplianceGroth16Verifier")
  .action(
    async (o: { dir: string; r1cs: string; ptau: string; verifier?: string; contract: string }) => {
      const transcript = await finalizeCeremony({ ...o, logger });
      if (o.verifier !== undefined && transcript.final !== undefined) {
        const zkey = path.join(o.dir, transcript.final.zkey);
        writeFileSync(o.verifier, await solidityVerifier(REPO_ROOT, zkey, o.contract));
      }
      print(transcript);
    },
  );

program
  .command("show")
  .description("print the transcript")
  .requiredOption("--dir <dir>", "ceremony folder")
  .action((o: { dir: string }) => {
    print(readTranscript(o.dir));
  });

program
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    const code = isZkError(err) ? `${err.code}: ` : "";
    process.stderr.write(`${code}${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(() => releaseProverThreads());
