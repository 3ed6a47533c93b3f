import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { AnchorError, isAnchorError } from "./errors";
import { fetchChainId } from "./fetch-chain-id";

/** A Hardhat node running as a child process of this one. */
export interface LocalNode {
  /** The node's JSON-RPC endpoint, `http://127.0.0.1:<port>`. */
  readonly rpcUrl: string;
  /** The port the node listens on. */
  readonly port: number;
  /** The pid of the node process itself, not of a wrapper. */
  readonly pid: number;
  /** The chain id the node answered with. */
  readonly chainId: bigint;
  /**
   * Stops the node (SIGTERM, then SIGKILL after `stopGraceMs`) and resolves once the process
   * has exited, so its port is free again. Safe to call more than once.
   */
  stop(): Promise<void>;
}

/** Options of {@link startLocalNode}. */
export interface LocalNodeOptions {
  /** The port to listen on; a free one is chosen when omitted. */
  readonly port?: number;
  /** The folder holding hardhat.config.ts; defaults to this project's root. */
  readonly projectRoot?: string;
  /** How long to wait for the first JSON-RPC answer; 60,000 ms when omitted. */
  readonly readyTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL; 5,000 ms when omitted. */
  readonly stopGraceMs?: number;
  /**
   * Mines a block every this many milliseconds as well, so confirmations arrive without
   * traffic (`ANCHORLOG_MINING_INTERVAL_MS` of hardhat.config.ts). No interval blocks when
   * omitted, unless this process's environment sets that variable.
   */
  readonly miningIntervalMs?: number;
  /**
   * Mines one block per transaction; true when omitted. False (with an interval) makes
   * transactions wait for the next interval block, as on a public chain.
   */
  readonly automine?: boolean;
}

const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

// Loaded into the node process before Hardhat: when this process dies, however it dies, the
// IPC channel closes and the node exits too, so no chain outlives the process that owns it.
const EXIT_WITH_PARENT =
  "data:text/javascript," + encodeURIComponent("process.on('disconnect', () => process.exit(0));");

const OUTPUT_TAIL_CHARS = 4_000;
const POLL_INTERVAL_MS = 100;

/**
 * Starts a Hardhat node on 127.0.0.1 by running Hardhat's CLI entry point with this Node
 * binary (never through npx, whose death would leave the node running), and resolves once
 * its JSON-RPC endpoint answers `eth_chainId`. The node exits when this process exits.
 *
 * Throws RangeError for a port outside `[1, 65535]` or a mining interval that is not a
 * positive integer, TypeError for an `automine` that is not a boolean, an
 * ANCHOR_PORT_IN_USE AnchorError when the port is taken, an ANCHOR_NODE_EXITED AnchorError
 * when the node dies before answering, and an ANCHOR_NODE_TIMEOUT AnchorError (after
 * stopping the node) when it answers too late.
 *
 * WARNING: A chosen free port is only free when it is probed; another process could take it
 * before the node binds it, which then fails with ANCHOR_NODE_EXITED.
 */
export async function startLocalNode(options: LocalNodeOptions = {}): Promise<LocalNode> {
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const stopGraceMs = options.stopGraceMs ?? 5_000;
  if (options.port !== undefined && !isPort(options.port)) {
    throw new RangeError(`port must be an integer in [1, 65535], got ${options.port}`);
  }
  const env = miningEnv(options);

  const port = options.port ?? (await freePort());
  if (options.port !== undefined && !(await isPortFree(port))) {
    throw new AnchorError("ANCHOR_PORT_IN_USE", { port });
  }

  const rpcUrl = `http://127.0.0.1:${port}`;
  const child = spawnNode(options.projectRoot ?? PROJECT_ROOT, port, env);
  const output = tailOf(child);
  let spawnError: Error | undefined;
  child.on("error", (error) => {
    spawnError = error;
  });
  const killOnExit = (): void => {
    child.kill("SIGKILL");
  };
  process.on("exit", killOnExit);

  const stop = async (): Promise<void> => {
    await stopChild(child, stopGraceMs);
    process.off("exit", killOnExit);
  };

  try {
    const chainId = await waitUntilReady(child, rpcUrl, readyTimeoutMs, output, () => spawnError);

    return Object.freeze({ rpcUrl, port, pid: child.pid as number, chainId, stop });
  } catch (error) {
    await stop();
    throw error;
  }
}

/** How to run a Hardhat node: the program, its arguments and the folder to run it in. */
export interface LocalNodeCommand {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
}

/**
 * Returns the command that runs a Hardhat node on 127.0.0.1:`port` as its own process: this
 * Node binary running Hardhat's CLI entry point, never npx. Started with an IPC channel
 * (stdio entry "ipc"), the node exits as soon as the process that started it is gone.
 */
export function localNodeCommand(port: number, projectRoot = PROJECT_ROOT): LocalNodeCommand {
  if (!isPort(port)) {
    throw new RangeError(`port must be an integer in [1, 65535], got ${port}`);
  }

  const cli = require.resolve("hardhat/internal/cli/bootstrap.js", { paths: [projectRoot] });
  const args = ["--import", EXIT_WITH_PARENT, cli, "node", "--hostname", "127.0.0.1"];

  return { file: process.execPath, args: [...args, "--port", String(port)], cwd: projectRoot };
}

/** The environment of the node process: this one's, plus the mining settings asked for. */
function miningEnv(options: LocalNodeOptions): NodeJS.ProcessEnv {
  const env = { ...process.env };
  const { miningIntervalMs, automine } = options;
  if (miningIntervalMs !== undefined) {
    if (!Number.isSafeInteger(miningIntervalMs) || miningIntervalMs < 1) {
      throw new RangeError(`miningIntervalMs must be a positive integer, got ${miningIntervalMs}`);
    }

    env.ANCHORLOG_MINING_INTERVAL_MS = String(miningIntervalMs);
  }
  if (automine !== undefined) {
    if (typeof automine !== "boolean") {
      throw new TypeError(`automine must be a boolean, got ${typeof automine}`);
    }

    env.ANCHORLOG_AUTOMINE = String(automine);
  }
  return env;
}

function spawnNode(projectRoot: string, port: number, env: NodeJS.ProcessEnv): ChildProcess {
  const command = localNodeCommand(port, projectRoot);

  const child = spawn(command.file, command.args, {
    cwd: command.cwd,
    env,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });

  // The node must not keep this process alive: it is stopped explicitly or dies with us.
  child.unref();
  child.channel?.unref();
  return child;
}

/** Keeps the last few thousand characters the node printed, for error messages. */
function tailOf(child: ChildProcess): () => string {
  let tail = "";
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString("utf8")).slice(-OUTPUT_TAIL_CHARS);
  };

  // Both pipes are always drained: a full pipe would block the node's logging and stall it.
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on("data", keep);
    (stream as { unref?: () => void } | null)?.unref?.();
  }
  return () => tail.trim();
}

async function waitUntilReady(
  child: ChildProcess,
  rpcUrl: string,
  timeoutMs: number,
  output: () => string,
  spawnError: () => Error | undefined,
): Promise<bigint> {
  const deadline = Date.now() + timeoutMs;

  for (;;) {
    const cause = spawnError();
    if (cause !== undefined || child.exitCode !== null || child.signalCode !== null) {
      const data = { exitCode: child.exitCode, signal: child.signalCode, output: output() };
      throw new AnchorError("ANCHOR_NODE_EXITED", data, { cause });
    }
    const chainId = await chainIdOf(rpcUrl);
    if (chainId !== undefined) return chainId;
    if (Date.now() >= deadline) {
      const data = { rpcUrl, timeoutMs, pid: child.pid as number, output: output() };
      throw new AnchorError("ANCHOR_NODE_TIMEOUT", data);
    }

    await sleep(POLL_INTERVAL_MS);
  }
}

/** Returns the chain id the endpoint answers with, or undefined while it cannot answer. */
async function chainIdOf(rpcUrl: string): Promise<bigint | undefined> {
  try {
    return await fetchChainId(rpcUrl);
  } catch (error) {
    // Refused connections and half-started servers look alike here: not ready yet.
    if (isAnchorError(error, "ANCHOR_CHAIN_UNREACHABLE")) return undefined;
    throw error;
  }
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;

  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

function isPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65_535;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");

  const address = server.address();
  server.close();
  await once(server, "close");
  if (address === null || typeof address === "string") {
    throw new Error("invariant: a TCP server listening on 127.0.0.1 reports a port");
  }
  return address.port;
}

async function isPortFree(port: number): Promise<boolean> {
  const server = createServer();
  server.listen(port, "127.0.0.1");

  try {
    await once(server, "listening");
  } catch {
    return false;
  }
  server.close();
  await once(server, "close");
  return true;
}
