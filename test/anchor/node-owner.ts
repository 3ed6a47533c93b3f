// A process that owns a local chain node and never stops it: the local-node tests kill this
// process outright and check that the node dies with it. Prints one JSON line once ready.
import { startLocalNode } from "../../ledger/anchor/local-node";

async function main(): Promise<void> {
  const node = await startLocalNode();

  process.stdout.write(JSON.stringify({ pid: node.pid, rpcUrl: node.rpcUrl }) + "\n");
  setInterval(() => undefined, 60_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
