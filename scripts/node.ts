// Runs a local Hardhat chain in the foreground on 127.0.0.1 until interrupted.
//
//   npm run node [-- --port 8545]
//
// The chain lives in memory: stopping it discards every block, as a chain reset would.
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";

import { localNodeCommand } from "../ledger/anchor/local-node";

const USAGE = "usage: npm run node [-- --port PORT]";

function main(): void {
  let port: number;
  try {
    const { values } = parseArgs({ options: { port: { type: "string", default: "8545" } } });
    port = Number(values.port);
    localNodeCommand(port);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}; ${USAGE}\n`);
    process.exit(2);
  }

  const command = localNodeCommand(port);
  const child = spawn(command.file, command.args, {
    cwd: command.cwd,
    stdio: ["inherit", "inherit", "inherit", "ipc"],
  });

  // Ctrl-C reaches the node directly through the terminal; a signal sent to this process
  // alone is passed on, so the node never outlives it.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => child.kill(signal));
  }
  // A node stopped by a forwarded signal has done what was asked: that is a clean exit.
  child.on("exit", (code) => process.exit(code ?? 0));
}

main();
