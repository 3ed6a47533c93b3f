/**
 * Anchoring for the server process (`npm start`): its ANCHORLOG_* settings and the start
 * and stop of the chain side.
 *
 * Without ANCHORLOG_RPC_URL the server runs in development mode: it starts a local Hardhat
 * node of its own on 127.0.0.1, deploys a registry there with Hardhat's first funded
 * account, and runs the anchoring worker with devRedeploy (each start is a fresh chain, so
 * the records of the previous one are orphaned). With ANCHORLOG_RPC_URL it anchors to that
 * chain with ANCHORLOG_ANCHOR_KEY, to ANCHORLOG_REGISTRY, or else to the registry recorded
 * in the data folder for that chain, or else to one it deploys and names in the log.
 */
import { HDNodeWallet, isAddress, JsonRpcProvider, Wallet, type Signer } from "ethers";
import type { Logger } from "pino";

import { ConfigError } from "../api/startup";
import type { Ledger } from "../ledger";
import { fetchChainId, isAnchorError } from "../ledger/anchor";
import { AnchorStore } from "../ledger/anchor/anchor-store";
import { AnchorWorker } from "../ledger/anchor/anchor-worker";
import type { AnchorWorkerEvent } from "../ledger/anchor/anchor-worker-events";
import type { AnchorWorkerOptions, RegistryLocation } from "../ledger/anchor/anchor-worker-options";
import { deployRegistry } from "../ledger/anchor/deploy";
import { startLocalNode } from "../ledger/anchor/local-node";

/** The anchoring settings of the server process. */
export interface AnchoringConfig {
  /** The chain's endpoint; undefined for a local development chain. */
  readonly rpcUrl?: string;
  /** The anchorer's key, 0x hex; set exactly when rpcUrl is. */
  readonly anchorKey?: string;
  /** The registry to anchor to; undefined to reuse the recorded one or deploy. */
  readonly registry?: string;
  readonly confirmations: number;
  readonly epochMs: number;
}

/** The ANCHORLOG_* names read here, so the server does not report them as unknown. */
export const ANCHORING_SETTINGS: readonly string[] = [
  "ANCHORLOG_RPC_URL",
  "ANCHORLOG_ANCHOR_KEY",
  "ANCHORLOG_REGISTRY",
  "ANCHORLOG_CONFIRMATIONS",
  "ANCHORLOG_EPOCH_MS",
];

// Hardhat funds the accounts of this documented mnemonic on every development chain.
const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";
const DEV_MINING_INTERVAL_MS = 1_000;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads and checks the anchoring settings. Defaults: 1 confirmation and a 10 s epoch for a
 * development chain; 12 confirmations and a 60 s epoch for a configured one.
 *
 * Throws a ConfigError (one line, naming the variable; keys never echoed) for a bad value,
 * for ANCHORLOG_RPC_URL without ANCHORLOG_ANCHOR_KEY, and for a key or registry without a
 * chain to use them on.
 */
export function anchoringFromEnv(env: Env): AnchoringConfig {
  const rpcUrl = env.ANCHORLOG_RPC_URL;
  const key = env.ANCHORLOG_ANCHOR_KEY;
  const registry = env.ANCHORLOG_REGISTRY;
  if (rpcUrl !== undefined && !/^https?:\/\/\S+$/.test(rpcUrl)) {
    throw new ConfigError(`ANCHORLOG_RPC_URL=${JSON.stringify(rpcUrl)} is not an http(s) URL`);
  }
  if (key !== undefined && !/^(0x)?[0-9a-fA-F]{64}$/.test(key)) {
    throw new ConfigError("ANCHORLOG_ANCHOR_KEY=(hidden) is not 32 bytes of hex");
  }
  if (registry !== undefined && !isAddress(registry)) {
    throw new ConfigError(`ANCHORLOG_REGISTRY=${JSON.stringify(registry)} is not an address`);
  }
  if (rpcUrl !== undefined && key === undefined) {
    throw new ConfigError("ANCHORLOG_RPC_URL is set but ANCHORLOG_ANCHOR_KEY is not");
  }
  if (rpcUrl === undefined && (key !== undefined || registry !== undefined)) {
    const name = key !== undefined ? "ANCHORLOG_ANCHOR_KEY" : "ANCHORLOG_REGISTRY";
    throw new ConfigError(`${name} is set but ANCHORLOG_RPC_URL is not`);
  }

  const local = rpcUrl === undefined;
  return {
    rpcUrl,
    anchorKey: key === undefined || key.startsWith("0x") ? key : `0x${key}`,
    registry,
    confirmations: whole(env, "ANCHORLOG_CONFIRMATIONS", local ? 1 : 12, 1, 1_000),
    epochMs: whole(env, "ANCHORLOG_EPOCH_MS", local ? 10_000 : 60_000, 1_000, 86_400_000),
  };
}

/** The chain side while the server runs. */
export interface RunningAnchoring {
  readonly worker: AnchorWorker;
  /** Stops the worker, then the local node if one was started. */
  stop(): Promise<void>;
}

/**
 * Starts the chain side: the local node and a registry in development mode, then the
 * worker, whose events go to `logger`. Throws what the node, the chain or the deployment
 * throw (AnchorErrors); a local node started here is stopped first.
 */
export async function startAnchoring(
  config: AnchoringConfig,
  ledger: Ledger,
  logger: Logger,
  rootsFor?: AnchorWorkerOptions["rootsFor"],
): Promise<RunningAnchoring> {
  const node =
    config.rpcUrl === undefined
      ? await startLocalNode({ miningIntervalMs: DEV_MINING_INTERVAL_MS })
      : undefined;
  if (node !== undefined) {
    logger.info({ rpcUrl: node.rpcUrl, pid: node.pid }, "local development chain started");
  }

  try {
    const rpcUrl = node?.rpcUrl ?? config.rpcUrl!;
    const key = config.anchorKey ?? HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC).privateKey;
    const registry = await registryFor(config, ledger, rpcUrl, key, logger);
    const worker = await AnchorWorker.open({
      ledger,
      rpcUrl,
      privateKey: key,
      registry,
      confirmations: config.confirmations,
      epochMs: config.epochMs,
      devRedeploy: node !== undefined,
      rootsFor,
      deploy: (signer: Signer) => deployRegistry(signer),
      onEvent: (event) => logEvent(logger, event),
    });
    worker.start();
    logger.info(
      {
        chainId: registry.chainId,
        registry: registry.address,
        confirmations: config.confirmations,
      },
      "anchoring started",
    );

    return {
      worker,
      stop: async () => {
        await worker.close();
        await node?.stop();
      },
    };
  } catch (error) {
    await node?.stop();
    throw error;
  }
}

// The registry named in the settings; else the one recorded for this chain; else a new one.
async function registryFor(
  config: AnchoringConfig,
  ledger: Ledger,
  rpcUrl: string,
  key: string,
  logger: Logger,
): Promise<RegistryLocation> {
  const recorded = (await AnchorStore.open(ledger.store)).deployment;
  let chainId: number;
  try {
    chainId = Number(await fetchChainId(rpcUrl));
  } catch (error) {
    // A chain that is down at start delays anchoring, not the service, when the records
    // say which chain and registry to use: the worker retries until the chain is back.
    const known = config.registry ?? recorded?.registry;
    if (!isAnchorError(error) || recorded === undefined || known !== recorded.registry) {
      throw error;
    }
    logger.warn({ err: error }, "chain unreachable at start; anchoring will retry");
    return { chainId: recorded.chainId, address: recorded.registry, block: recorded.block };
  }
  if (config.registry !== undefined) return { chainId, address: config.registry };

  // On a development chain a recorded registry is gone with the last node; the worker
  // notices, orphans its records and deploys afresh.
  if (recorded !== undefined && recorded.chainId === chainId) {
    return { chainId, address: recorded.registry, block: recorded.block };
  }

  const provider = new JsonRpcProvider(rpcUrl, chainId, { staticNetwork: true, cacheTimeout: -1 });
  try {
    const deployment = await deployRegistry(new Wallet(key, provider));
    logger.info(
      { chainId, registry: deployment.address, block: deployment.block },
      config.rpcUrl === undefined
        ? "registry deployed"
        : "registry deployed; set ANCHORLOG_REGISTRY to this address to pin it",
    );
    return { chainId, address: deployment.address, block: deployment.block };
  } finally {
    provider.destroy();
  }
}

// Lifecycle at info, recovered trouble at warn, what needs an operator at error; the
// frequent retries of an outage at debug. Keys and payloads are never in these events.
function logEvent(logger: Logger, event: AnchorWorkerEvent): void {
  switch (event.type) {
    case "epoch-sent":
      logger.info({ epoch: event.epoch, tx: event.txHash, logs: event.leafCount }, "epoch sent");
      return;
    case "epoch-confirmed":
      logger.info({ epoch: event.epoch, block: event.blockNumber }, "epoch anchored");
      return;
    case "chain-unreachable":
      logger.warn({ err: event.error, retryInMs: event.retryInMs }, "chain unreachable");
      return;
    case "chain-reachable":
      logger.info({ downForMs: event.downForMs }, "chain reachable again");
      return;
    case "retrying":
      logger.debug({ err: event.error, retryInMs: event.retryInMs }, "anchoring round failed");
      return;
    case "registry-gone":
      if (event.redeploying) logger.warn({ err: event.error }, "registry gone; redeploying");
      else logger.error({ err: event.error }, "registry gone; anchoring stopped until it is back");
      return;
    case "registry-redeployed":
      logger.warn(
        { registry: event.deployment.registry, orphaned: event.orphaned },
        "registry redeployed",
      );
      return;
    case "epoch-conflict":
      logger.error({ err: event.error }, "another account anchors to this registry");
      return;
    case "epoch-lost":
      logger.warn({ epoch: event.epoch, err: event.error }, "epoch lost; anchoring anew");
      return;
    default:
      logger.warn({ ...event }, event.type.replace("-", " "));
  }
}

function whole(env: Env, name: string, fallback: number, min: number, max: number): number {
  const text = env[name];
  if (text === undefined) return fallback;

  if (!/^[1-9][0-9]{0,15}$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new ConfigError(`${name}=${JSON.stringify(text)} is not a whole number ${min}-${max}`);
  }
  return Number(text);
}
