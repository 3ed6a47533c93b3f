/**
 * The `anchorlog` command line: verification for compliance officers (receipts,
 * consistency, compliance bundles, monitoring) and operation for operators (serve,
 * tenants, keys, backup, restore, fsck). Run `anchorlog --help` for the commands.
 *
 * Exit status: 0 verified or done, 1 a verification failed or the service refused,
 * 2 bad usage or input, or something needed could not be reached.
 */
import { runProgram } from "./cli/program";

runProgram(process.argv).then(
  (status) => {
    process.exitCode = status;
  },
  (err: unknown) => {
    process.stderr.write(`anchorlog: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
