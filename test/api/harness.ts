/**
 * A real service for API tests: a LevelDB ledger in a temporary folder, its key store with
 * one operator key, and the app built on them. Requests go through `inject`.
 */
import { join } from "node:path";

import type { FastifyInstance, InjectOptions, LightMyRequestResponse, RouteOptions } from "fastify";

import { ApiConfig, ApiMetrics, buildApp, createApiMetrics } from "../../api";
import { KvStore, Ledger, LedgerOptions, openLevelStore } from "../../ledger";
import { ApiKeyScope, ApiKeyStore } from "../../ledger/tenancy/api-keys";
import { openTestLedger, tempDir } from "../helpers/temp-ledger";

/** Settings for tests: no rate limit and no load shedding unless a test asks for them. */
export const TEST_API_CONFIG: Partial<ApiConfig> = { rateLimit: false, maxEventLoopDelayMs: 0 };

export interface Harness {
  app: FastifyInstance;
  ledger: Ledger;
  keys: ApiKeyStore;
  metrics: ApiMetrics;
  /** An operator key with the admin scope. */
  adminKey: string;
  /** Routes as registered, in order. */
  routes: RouteOptions[];
  dir: string;
  close(): Promise<void>;
}

export interface HarnessOptions {
  config?: Partial<ApiConfig>;
  ledger?: Partial<LedgerOptions>;
  logger?: Parameters<typeof buildApp>[0]["logger"];
  /** Wraps the LevelDB store, e.g. to make it fail on demand. */
  wrapStore?: (store: KvStore) => KvStore;
}

/** Starts a service on a fresh ledger. */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const tmp = tempDir("anchorlog-api-");
  const metrics = createApiMetrics();
  const base = opts.wrapStore ? await openLevelStore(join(tmp.dir, "db")) : undefined;
  const ledger = await openTestLedger(tmp.dir, {
    onCommit: metrics.onCommit,
    ...(base && opts.wrapStore ? { store: opts.wrapStore(base) } : {}),
    ...opts.ledger,
  });
  const keys = await ApiKeyStore.open(ledger.store);
  const admin = await keys.issue({ tenant: null, scopes: ["admin"], label: "test operator" });
  const routes: RouteOptions[] = [];

  const app = await buildApp({
    ledger,
    keys,
    metrics,
    config: { ...TEST_API_CONFIG, ...opts.config },
    logger: opts.logger,
    onRoute: (r) => {
      routes.push(r);
    },
  });
  await app.ready();

  return {
    app,
    ledger,
    keys,
    metrics,
    adminKey: admin.key,
    routes,
    dir: tmp.dir,
    async close() {
      await app.close();
      await ledger.close();
      await base?.close();
      tmp.cleanup();
    },
  };
}

/** The secret part of an "al_<16 hex>_<secret>" key (the secret may itself hold "_"). */
export function secretOf(key: string): string {
  return key.slice("al_0123456789abcdef_".length);
}

/** Authorization header for `key`. */
export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

/** Injects a request, with `key` as bearer when given. */
export function call(
  app: FastifyInstance,
  opts: InjectOptions & { key?: string },
): Promise<LightMyRequestResponse> {
  const { key, headers, ...rest } = opts;
  return app.inject({ ...rest, headers: { ...(key ? bearer(key) : {}), ...headers } });
}

/** Creates tenant `id` through the admin API. */
export async function createTenant(h: Harness, id: string): Promise<void> {
  const res = await call(h.app, {
    method: "POST",
    url: "/v1/admin/tenants",
    key: h.adminKey,
    payload: { id },
  });
  if (res.statusCode !== 201) throw new Error(`create tenant ${id}: ${res.statusCode} ${res.body}`);
}

/** Issues a key of `tenant` with `scopes` through the admin API and returns it. */
export async function issueKey(
  h: Harness,
  tenant: string,
  scopes: ApiKeyScope[],
): Promise<{ key: string; id: string }> {
  const res = await call(h.app, {
    method: "POST",
    url: `/v1/admin/tenants/${tenant}/keys`,
    key: h.adminKey,
    payload: { scopes },
  });
  if (res.statusCode !== 201) throw new Error(`issue key: ${res.statusCode} ${res.body}`);
  const body = res.json() as { key: string; info: { id: string } };
  return { key: body.key, id: body.info.id };
}

/** A problem body as tests read it. */
export interface ProblemBody {
  [member: string]: unknown;
  code?: string;
  status?: number;
  errors?: { pointer: string; message: string }[];
}

/** The parsed body when the response is problem JSON; undefined otherwise. */
export function problemOf(res: LightMyRequestResponse): ProblemBody | undefined {
  const type = String(res.headers["content-type"] ?? "");
  if (!type.startsWith("application/problem+json")) return undefined;
  try {
    return res.json() as ProblemBody;
  } catch {
    return undefined;
  }
}
