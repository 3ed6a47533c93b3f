// Deploys an AnchorRegistry to a chain and records where it lives.
//
//   npm run deploy -- --rpc URL [--key HEX] [--out deployment.json] [--confirmations N]
//                     [--admin ADDRESS]
//
// The deploying key becomes the registry's anchorer, and its admin unless --admin names
// another account (on a public chain, one whose key never sits on a server). Pass the key
// in the ANCHORLOG_DEPLOYER_KEY environment variable rather than --key where other users
// can list this machine's processes.
//
// Exit codes: 0 deployed, 1 the chain failed, 2 bad arguments.
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";

import { isAddress, JsonRpcProvider, Wallet } from "ethers";

import { fetchChainId } from "../ledger/anchor";
import { deployRegistry } from "../ledger/anchor/deploy";

const USAGE =
  "usage: npm run deploy -- --rpc URL [--key HEX] [--out FILE] [--confirmations N] " +
  "[--admin ADDRESS] (the key may come from ANCHORLOG_DEPLOYER_KEY)";

interface Arguments {
  rpc: string;
  key: string;
  out: string | undefined;
  confirmations: number;
  admin: string | undefined;
}

function parseArguments(): Arguments {
  const { values } = parseArgs({
    options: {
      rpc: { type: "string" },
      key: { type: "string" },
      out: { type: "string" },
      confirmations: { type: "string", default: "1" },
      admin: { type: "string" },
    },
  });

  const rpc = values.rpc;
  if (rpc === undefined || !/^https?:\/\/\S+$/.test(rpc)) {
    throw new Error(`--rpc must be an http(s) URL, got ${rpc ?? "nothing"}`);
  }
  const key = values.key ?? process.env.ANCHORLOG_DEPLOYER_KEY;
  if (key === undefined || !/^(0x)?[0-9a-fA-F]{64}$/.test(key)) {
    // The key itself is never echoed: a near-miss is still mostly a secret.
    throw new Error("--key (or ANCHORLOG_DEPLOYER_KEY) must be 32 bytes of hex");
  }
  const confirmations = Number(values.confirmations);
  if (!Number.isSafeInteger(confirmations) || confirmations < 1) {
    throw new Error(`--confirmations must be a whole number of at least 1`);
  }

  if (values.admin !== undefined && !isAddress(values.admin)) {
    throw new Error(`--admin must be an address, got ${values.admin}`);
  }

  return {
    rpc,
    key: key.startsWith("0x") ? key : `0x${key}`,
    out: values.out,
    confirmations,
    admin: values.admin,
  };
}

async function deploy(args: Arguments): Promise<void> {
  const chainId = await fetchChainId(args.rpc);
  // Told the chain id, the provider never retries in the background; without its result
  // cache, nonces are always read fresh.
  const provider = new JsonRpcProvider(args.rpc, Number(chainId), {
    staticNetwork: true,
    cacheTimeout: -1,
  });

  try {
    const deployment = await deployRegistry(new Wallet(args.key, provider), {
      confirmations: args.confirmations,
      admin: args.admin,
    });
    const record = { contract: "AnchorRegistry", ...deployment };

    if (args.out !== undefined) {
      await writeFile(args.out, JSON.stringify(record, null, 2) + "\n");
    }
    process.stdout.write(
      `AnchorRegistry deployed at ${deployment.address} on chain ${deployment.chainId}, ` +
        `block ${deployment.block}${args.out === undefined ? "" : `; wrote ${args.out}`}\n`,
    );
  } finally {
    provider.destroy();
  }
}

async function main(): Promise<void> {
  let args: Arguments;
  try {
    args = parseArguments();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}; ${USAGE}\n`);
    process.exit(2);
  }

  try {
    await deploy(args);
  } catch (error) {
    process.stderr.write(`deploy failed: ${oneLine(error)}\n`);
    process.exit(1);
  }
}

/** One line: the error's message, then its causes' messages. */
function oneLine(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e !== undefined && parts.length < 4;) {
    parts.push(e instanceof Error ? e.message.split("\n")[0] : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(": ");
}

void main();
