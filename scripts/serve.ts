/**
 * The server process (`npm start`): reads ANCHORLOG_* settings, opens the ledger under the
 * data folder with its key files, makes sure an operator can log in, starts anchoring (see
 * ./serve-anchoring), and serves the API until SIGINT or SIGTERM, which close the server,
 * anchoring, and then the ledger.
 *
 *   npm start                        serve with the settings in the environment
 *   npm start -- --generate-key      print a fresh key for ANCHORLOG_ADMIN_KEY and exit
 *
 * Each start-up step is one function, so further steps (e.g. a local chain node for
 * anchoring) slot in between them.
 */
import { join } from "node:path";

import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";

import { ApiMetrics, buildApp, createApiMetrics, createLogger } from "../api";
import {
  bootstrapAdminKey,
  CONFIG_EXIT_CODE,
  ConfigError,
  configFromEnv,
  loadOrCreateSecrets,
  ServerConfig,
  ServerSecrets,
} from "../api/startup";
import { Ledger } from "../ledger";
import { ApiKeyStore, generateApiKey } from "../ledger/tenancy/api-keys";
import {
  anchorStoreSource,
  ComplianceStore,
  OpenedCompliance,
  openCompliance,
} from "../ledger/compliance";
import { DEV_PARAMS } from "../ledger/zk";
import {
  ANCHORING_SETTINGS,
  anchoringFromEnv,
  RunningAnchoring,
  startAnchoring,
} from "./serve-anchoring";

async function main(): Promise<void> {
  if (process.argv.includes("--generate-key")) {
    process.stdout.write(`${generateApiKey()}\n`);
    return;
  }

  const { config, unknown } = configFromEnv(process.env);
  const anchoringConfig = anchoringFromEnv(process.env);
  const logger = createLogger({ level: config.logLevel });
  for (const name of unknown) {
    if (!ANCHORING_SETTINGS.includes(name)) logger.warn({ name }, "unknown setting ignored");
  }

  const secrets = loadSecrets(config, logger);
  const metrics = createApiMetrics();
  const ledger = await openLedger(config, secrets, metrics);
  const keys = await ApiKeyStore.open(ledger.store);
  await settleAdminKey(keys, config, logger);
  // The policy store opens first: each epoch commits to the tenants' current policy roots,
  // and the prover in turn needs the worker's records of what was anchored.
  const policies = await ComplianceStore.open(ledger.store, { params: DEV_PARAMS });
  const anchoring = await startAnchoring(anchoringConfig, ledger, logger, policies.rootsFor);
  const compliance = await openCompliance({
    ledger,
    store: policies,
    anchors: anchorStoreSource(ledger.store, anchoring.worker.records),
  });
  const receipts = (tenant: string, index: number) =>
    anchoring.worker.anchoredReceipt(tenant, index);
  const app = await buildApp({
    ledger,
    keys,
    metrics,
    logger,
    config: config.api,
    receipts,
    appender: compliance.appender,
    compliance: { store: compliance.store, jobs: compliance.jobs },
  });

  stopOnSignals(app, ledger, logger, anchoring, compliance);
  await listen(app, config, logger);
}

function loadSecrets(config: ServerConfig, logger: Logger): ServerSecrets {
  const secrets = loadOrCreateSecrets(config.dataDir);

  for (const path of secrets.created) logger.info({ path }, "key file created; back it up");
  return secrets;
}

function openLedger(
  config: ServerConfig,
  secrets: ServerSecrets,
  metrics: ApiMetrics,
): Promise<Ledger> {
  return Ledger.open({
    path: join(config.dataDir, "db"),
    masterKey: secrets.masterKey,
    signingSeed: secrets.signingSeed,
    originPrefix: config.originPrefix,
    maxQueuedEntries: config.maxQueuedEntries,
    maxAppendBatch: config.api.maxBatchEvents,
    maxEventBytes: config.maxEventBytes,
    onCommit: metrics.onCommit,
  });
}

async function settleAdminKey(keys: ApiKeyStore, config: ServerConfig, logger: Logger) {
  const outcome = await bootstrapAdminKey(keys, {
    dataDir: config.dataDir,
    configured: config.adminKey,
  });

  if (outcome.source === "generated") {
    logger.info({ path: outcome.path, keyId: outcome.keyId }, "operator key generated");
  } else if (outcome.source === "configured") {
    logger.info({ keyId: outcome.keyId }, "operator key from ANCHORLOG_ADMIN_KEY");
  } else {
    logger.info({ operatorKeys: outcome.activeOperatorKeys }, "operator keys in place");
  }
}

async function listen(app: FastifyInstance, config: ServerConfig, logger: Logger): Promise<void> {
  const address = await app.listen({ port: config.port, host: config.host });

  logger.info({ address, docs: `${address}/docs`, dataDir: config.dataDir }, "listening");
}

// The first signal closes the server (in-flight requests finish), then anchoring (the
// worker, then a local chain node), then the ledger (queued appends are written). A second
// signal during that exits at once.
function stopOnSignals(
  app: FastifyInstance,
  ledger: Ledger,
  logger: Logger,
  anchoring: RunningAnchoring,
  compliance: OpenedCompliance,
): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal; exiting without a clean close");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, "closing");
    try {
      await app.close();
      await compliance.close();
      await anchoring.stop();
      await ledger.close();
      logger.info("closed");
      logger.flush();
    } catch (err) {
      logger.error({ err }, "close failed");
      process.exitCode = 1;
    }
  };
  process.on("SIGINT", (s) => void stop(s));
  process.on("SIGTERM", (s) => void stop(s));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`anchorlog: ${err.message}\n`);
    process.exit(CONFIG_EXIT_CODE);
  }
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`anchorlog: start failed: ${message}\n`);
  process.exit(1);
});
