/**
 * The app factory: a Fastify instance with every route, hook and plugin of the service,
 * ready for `inject` in tests or `listen` in a server. It does not own the ledger: closing
 * the app leaves the ledger open for its owner to close.
 */
import { randomUUID } from "node:crypto";

import Fastify, { FastifyBaseLogger, FastifyInstance, LogController, RouteOptions } from "fastify";
import helmet from "@fastify/helmet";
import type { Logger } from "pino";

import type { Ledger } from "../ledger";
import { ApiKeyStore } from "../ledger/tenancy/api-keys";
import { authenticate } from "./auth";
import { ApiConfig, resolveApiConfig } from "./config";
import { registerDocs } from "./docs";
import { installErrorHandling, sendProblem } from "./error-handler";
import { registerLoadShedding, registerRateLimit } from "./load-limits";
import { ApiMetrics, createApiMetrics } from "./metrics";
import { installRequestLog } from "./request-log";
import { Appender, ReceiptSource, RouteDeps } from "./route-deps";
import { registerAdminBackupRoute } from "./routes/admin-backup";
import { registerVerifierPageRoutes } from "./routes/verifier-page";
import { registerAdminKeyRoutes } from "./routes/admin-keys";
import { registerAdminTenantRoutes } from "./routes/admin-tenants";
import { registerAppendRoutes } from "./routes/append";
import { registerCheckpointRoute } from "./routes/checkpoint";
import { registerComplianceDocumentRoutes } from "./routes/compliance-documents";
import { registerComplianceProofRoutes } from "./routes/compliance-proofs";
import type { ComplianceServices } from "./routes/compliance-services";
import { registerEntryRoutes } from "./routes/entries";
import { registerEraseRoute } from "./routes/erase";
import { registerHealthRoutes } from "./routes/health";
import { registerProofRoutes } from "./routes/proofs";
import { registerTenantKeyRoutes } from "./routes/tenant-keys";
import { registerTileRoutes } from "./routes/tiles";

/** Options of {@link buildApp}. */
export interface BuildAppOptions {
  /** An open ledger; the app never closes it. */
  ledger: Ledger;
  /** Settings; missing ones take their defaults. */
  config?: Partial<ApiConfig>;
  /** A pino logger (see createLogger); none by default. */
  logger?: Logger;
  /** The key store of `ledger.store`; opened here when omitted. */
  keys?: ApiKeyStore;
  /** Metrics; give the same object's onCommit to the ledger to count commits. */
  metrics?: ApiMetrics;
  /** Called with every route as it is registered (before the app's own checks). */
  onRoute?: (route: RouteOptions) => void;
  /**
   * Makes the receipts GET /v1/entries/:index/receipt serves; the ledger's "signed" receipt
   * when omitted. The server passes the anchoring worker's, which answers "anchored" once
   * an epoch covering the entry is confirmed.
   */
  receipts?: ReceiptSource;
  /** What appends go through (see RouteDeps.appender); the ledger when omitted. */
  appender?: Appender;
  /** The built verifier page served at /verify/; web/dist by default. */
  verifierPageDir?: string;
  /** Policy documents and proving jobs; the /v1/compliance routes exist only with them. */
  compliance?: ComplianceServices;
}

/**
 * Builds the service. Every route under /v1 must declare its access (see ./auth); building
 * fails otherwise, so no route becomes public by omission.
 *
 * @throws RangeError for settings out of range.
 */
export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const config = resolveApiConfig(opts.config);
  const keys = opts.keys ?? (await ApiKeyStore.open(opts.ledger.store));
  const metrics = opts.metrics ?? createApiMetrics();
  metrics.watchLedger(opts.ledger);
  const deps: RouteDeps = {
    ledger: opts.ledger,
    keys,
    config,
    metrics,
    receipts: opts.receipts,
    appender: opts.appender,
  };

  const app = Fastify({
    loggerInstance: opts.logger as FastifyBaseLogger | undefined,
    bodyLimit: config.bodyLimitBytes,
    // Request lines are written by ./request-log, one per request.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: "reqId" }),
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
    // Malformed URLs fail in the router, before the error handler exists for the request.
    frameworkErrors: (err, request, reply) => sendProblem(err, request, reply),
    // Bodies are checked as sent: no coercion ("5" is not 5), no silent removal of unknown
    // properties (they are rejected), no defaults filled in.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false } },
  });
  app.decorateRequest("principal", undefined);
  app.removeContentTypeParser("text/plain");
  if (opts.onRoute) app.addHook("onRoute", opts.onRoute);
  app.addHook("onRoute", requireAccessUnderV1);
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  installErrorHandling(app);
  installRequestLog(app, metrics);

  // No upgrade-insecure-requests: the service may be reached over plain HTTP (localhost, or
  // behind a TLS proxy), where upgrading the docs' own scripts to HTTPS would break them.
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
  await registerLoadShedding(app, config);
  await registerDocs(app);
  app.addHook("onRequest", authenticate(keys));
  await registerRateLimit(app, config);

  registerHealthRoutes(app, deps);
  registerAdminTenantRoutes(app, deps);
  registerAdminKeyRoutes(app, deps);
  registerAdminBackupRoute(app, deps);
  registerTenantKeyRoutes(app, deps);
  registerAppendRoutes(app, deps);
  registerEntryRoutes(app, deps);
  registerEraseRoute(app, deps);
  registerProofRoutes(app, deps);
  registerCheckpointRoute(app, deps);
  registerTileRoutes(app, deps);
  if (opts.compliance !== undefined) {
    registerComplianceDocumentRoutes(app, opts.compliance);
    registerComplianceProofRoutes(app, deps, opts.compliance);
  }
  registerVerifierPageRoutes(app, opts.verifierPageDir);
  return app;
}

function requireAccessUnderV1(route: RouteOptions): void {
  if (!route.url.startsWith("/v1/") || route.config?.access !== undefined) return;
  throw new Error(`route ${route.method} ${route.url} under /v1 declares no access`);
}
