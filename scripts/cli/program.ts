/**
 * The grammar of the `anchorlog` command: every command, its arguments and options, and
 * their help. Each command's work lives in its own module, loaded only when that command
 * runs, so that `anchorlog verify` does not pay for LevelDB or the prover.
 */
import { Command, CommanderError, Option } from "commander";

import { CliError, EXIT, isCliError, oneLine } from "./errors";
import type { AdminOptions } from "./admin-target";
import type { BackupOptions } from "./backup";
import type { FsckOptions } from "./fsck";
import type { KeysOptions } from "./keys";
import type { MonitorOptions } from "./monitor";
import { processOutput, type Output } from "./output";
import type { RestoreOptions } from "./restore";
import type { VerifyOptions } from "./verify";
import type { VerifyComplianceOptions } from "./verify-compliance";
import type { VerifyConsistencyOptions } from "./verify-consistency";

const collect = (value: string, previous: string[] = []) => [...previous, value];

const KEY_HELP =
  "the log's verifier key (<origin>+<id>+<key>) or a file of keys, one per line; repeatable";

/** Builds the program; `run` parses argv and resolves with the exit status. */
export function buildProgram(): Command {
  const program = new Command("anchorlog")
    .description("Verify, monitor and operate anchorlog audit ledgers")
    .option("--json", "print one JSON document on standard output")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();

  program
    .command("verify")
    .description("verify receipts step by step (one receipt or a JSON list)")
    .argument("<receipt>", "receipt file, or - for standard input")
    .option("--key <verifier key>", KEY_HELP, collect)
    .option("--rpc <url>", "chain endpoint to check anchored receipts on chain")
    .action(
      act(async (out, file: string, o: VerifyOptions) => {
        const { runVerify } = await import("./verify");
        return runVerify(file, o, out);
      }),
    );

  program
    .command("verify-consistency")
    .description("verify that a newer checkpoint extends an older one")
    .argument("<old-checkpoint>", "signed note, or GET /v1/checkpoint answer")
    .argument("<new-checkpoint>", "signed note, or GET /v1/checkpoint answer")
    .argument(
      "<proof>",
      "JSON list of hashes (hex or base64), or GET /v1/proofs/consistency answer",
    )
    .option("--key <verifier key>", KEY_HELP, collect)
    .action(
      act(async (out, older: string, newer: string, proof: string, o: VerifyConsistencyOptions) => {
        const { runVerifyConsistency } = await import("./verify-consistency");
        return runVerifyConsistency(older, newer, proof, o, out);
      }),
    );

  program
    .command("verify-compliance")
    .description("verify a compliance bundle (zero-knowledge proof over a window of the log)")
    .argument("<bundle>", "compliance bundle file")
    .option("--key <verifier key>", KEY_HELP, collect)
    .option("--rpc <url>", "chain endpoint holding the anchored epoch roots")
    .option("--policy <policy.json>", "the policy document you reviewed; its root must match")
    .option("--vkey <file>", "Groth16 verification key (default: the shipped development setup)")
    .action(
      act(async (out, file: string, o: VerifyComplianceOptions) => {
        const { runVerifyCompliance } = await import("./verify-compliance");
        return runVerifyCompliance(file, o, out);
      }),
    );

  program
    .command("policy-root")
    .description("recompute the policy root of a policy document")
    .argument("<policy.json>", "policy document")
    .action(
      act(async (out, file: string) => {
        const { runPolicyRoot } = await import("./policy-root");
        return runPolicyRoot(file, out);
      }),
    );

  program
    .command("monitor")
    .description("check that a log only grows: no fork, no rollback, anchors agree")
    .option("--url <api base>", "the service, e.g. http://127.0.0.1:8080")
    .addOption(
      new Option("--api-key <key>", "a tenant key with read scope").env("ANCHORLOG_API_KEY"),
    )
    .option("--tiles <base url>", "a tlog-tiles base URL, e.g. http://host/v1/log")
    .option("--key <verifier key>", KEY_HELP, collect)
    .option("--state <file>", "where the last verified checkpoint is kept between runs")
    .option("--rpc <url>", "chain endpoint to check anchored checkpoints")
    .option("--registry <address>", "the registry contract the operator anchors to")
    .option("--follow", "keep running, checking every --interval seconds")
    .option("--interval <seconds>", "seconds between checks with --follow", "60")
    .action(
      act(async (out, o: MonitorOptions) => {
        const { runMonitor } = await import("./monitor");
        return runMonitor(o, out);
      }),
    );

  program
    .command("serve")
    .description("run the service (the same as npm start; settings from ANCHORLOG_* variables)")
    .action(async () => {
      await import("../serve");
      // The server keeps the process alive; its own signal handlers end it.
      return new Promise<never>(() => undefined);
    });

  addAdminCommands(program);
  addStoreCommands(program);
  return program;
}

function addAdminCommands(program: Command): void {
  const api = (cmd: Command) =>
    cmd
      .addOption(
        new Option("--url <api base>", "the service")
          .env("ANCHORLOG_URL")
          .default("http://127.0.0.1:8080"),
      )
      .addOption(new Option("--admin-key <key>", "an operator key").env("ANCHORLOG_ADMIN_KEY"));

  const tenants = program.command("tenants").description("manage tenants (operator)");
  api(tenants.command("list").description("list tenants")).action(
    act(async (out, o: AdminOptions) =>
      (await import("./tenants")).runTenants("list", undefined, o, out),
    ),
  );
  for (const [name, text] of [
    ["create", "create a tenant with its own log"],
    ["disable", "stop a tenant's appends (reads and proofs stay)"],
    ["enable", "let a disabled tenant append again"],
  ] as const) {
    api(tenants.command(name).description(text).argument("<tenant>", "tenant id")).action(
      act(async (out, id: string, o: AdminOptions) =>
        (await import("./tenants")).runTenants(name, id, o, out),
      ),
    );
  }

  const keys = program.command("keys").description("manage API keys (operator)");
  api(keys.command("list").description("list operator keys, or a tenant's keys"))
    .option("--tenant <tenant>", "list this tenant's keys")
    .action(
      act(async (out, o: KeysOptions) =>
        (await import("./keys")).runKeys("list", undefined, o, out),
      ),
    );
  api(
    keys
      .command("create")
      .description("issue a key (shown once); an operator key without --tenant"),
  )
    .option("--tenant <tenant>", "the tenant the key acts for")
    .option("--scopes <list>", "comma-separated: append,read,prove,erase,admin", "read")
    .option("--label <text>", "free text to recognise the key by")
    .action(
      act(async (out, o: KeysOptions) =>
        (await import("./keys")).runKeys("create", undefined, o, out),
      ),
    );
  api(
    keys.command("revoke").description("revoke a key").argument("<key-id>", "the key's id"),
  ).action(
    act(async (out, id: string, o: KeysOptions) =>
      (await import("./keys")).runKeys("revoke", id, o, out),
    ),
  );
}

function addStoreCommands(program: Command): void {
  program
    .command("backup")
    .description("write a consistent snapshot of the store (service running, or --data-dir)")
    .requiredOption("--out <file>", "the backup file to write")
    .addOption(new Option("--url <api base>", "the running service").env("ANCHORLOG_URL"))
    .addOption(new Option("--admin-key <key>", "an operator key").env("ANCHORLOG_ADMIN_KEY"))
    .option("--data-dir <dir>", "read the store directly (the service must be stopped)")
    .action(
      act(async (out, o: BackupOptions) => {
        const { runBackup } = await import("./backup");
        return runBackup(o, out);
      }),
    );

  program
    .command("restore")
    .description("restore a backup into a data folder, refusing to lose anchored history")
    .argument("<backup>", "backup file")
    .requiredOption("--data-dir <dir>", "the data folder (its keys/ must hold the key files)")
    .option("--rpc <url>", "chain endpoint: refuse when the registry anchored newer epochs")
    .option("--registry <address>", "the registry to ask (default: the one the backup names)")
    .option("--force", "restore even when anchored checkpoints would be lost")
    .action(
      act(async (out, file: string, o: RestoreOptions) => {
        const { runRestore } = await import("./restore");
        return runRestore(file, o, out);
      }),
    );

  program
    .command("fsck")
    .description("re-derive every log from storage and check checkpoints and anchors")
    .requiredOption("--data-dir <dir>", "the data folder (the service must be stopped)")
    .option("--rpc <url>", "chain endpoint to check anchored epoch roots on chain")
    .action(
      act(async (out, o: FsckOptions) => {
        const { runFsck } = await import("./fsck");
        return runFsck(o, out);
      }),
    );
}

// Wraps a command's work: builds its output from the global --json flag, turns expected
// failures into a one-line message and their exit status, and sets the process's.
function act<A extends unknown[]>(handler: (out: Output, ...args: A) => Promise<number>) {
  return async (...args: unknown[]) => {
    const cmd = args.at(-1) as Command;
    const opts = cmd.opts();
    const out = processOutput(Boolean(cmd.optsWithGlobals().json));
    const positional = args.slice(0, -2);
    try {
      process.exitCode = await handler(out, ...([...positional, opts] as A));
    } catch (err) {
      process.exitCode = failureStatus(err, out);
    }
  };
}

/** Prints `err` as one line on standard error and returns the exit status for it. */
export function failureStatus(err: unknown, out: Output): number {
  if (isCliError(err)) {
    out.warn(err.message);
    if (out.json) out.document({ ok: false, error: { code: err.code, message: err.message } });
    return err.exitCode;
  }
  out.warn(`unexpected failure: ${oneLine(err)}`);
  if (process.env.ANCHORLOG_DEBUG === "1" && err instanceof Error) {
    process.stderr.write(`${err.stack}\n`);
  }
  return EXIT.failed;
}

/**
 * Runs the program on `argv` (process.argv form) and resolves with the exit status; usage
 * errors end in 2 and help or version in 0.
 */
export async function runProgram(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) {
      const quiet = ["commander.helpDisplayed", "commander.version", "commander.help"];
      return quiet.includes(err.code) ? EXIT.ok : EXIT.usage;
    }
    return failureStatus(err, processOutput(false));
  }
  return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
}

export { CliError };
