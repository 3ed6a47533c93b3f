/**
 * Reading entries back: one entry with its decrypted event, or pages of entries filtered by
 * integration time, actor and action, with opaque cursors.
 */
import type { FastifyInstance } from "fastify";
import type { Static } from "@sinclair/typebox";

import type { EntryRecord } from "../../ledger";
import { toBase64 } from "../../ledger/verify";
import { tenantOf } from "../auth";
import { CursorFilters, decodeCursor, encodeCursor } from "../cursor";
import { ApiError } from "../errors";
import { BEARER_SECURITY, RouteDeps } from "../route-deps";
import {
  EntryPageSchema,
  EntrySchema,
  errorResponses,
  IndexParamsSchema,
  ListQuerySchema,
} from "../schemas";

/** An entry as the API shows it: leaf data in base64. */
export function entryView(e: EntryRecord): Static<typeof EntrySchema> {
  const view: Static<typeof EntrySchema> = {
    index: e.index,
    leafHash: e.leafHash,
    leafData: toBase64(e.leafData),
    timeMs: e.timeMs,
  };
  if (e.event !== undefined) view.event = e.event as Static<typeof EntrySchema>["event"];
  if (e.erasedAtMs !== undefined) view.erasedAtMs = e.erasedAtMs;
  return view;
}

/** Registers GET /v1/entries and GET /v1/entries/:index. */
export function registerEntryRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { ledger, config } = deps;

  app.get<{ Querystring: Static<typeof ListQuerySchema> }>(
    "/v1/entries",
    {
      config: { access: { principal: "tenant", scopes: ["read"] } },
      schema: {
        summary: "List entries, oldest first",
        description:
          "Filters apply to the integration time range [since, until), the actor and the " +
          "action. A page may hold fewer entries than the limit (even none) while nextCursor " +
          "is present: keep following it until it is absent.",
        tags: ["entries"],
        security: BEARER_SECURITY,
        querystring: ListQuerySchema,
        response: { 200: EntryPageSchema, ...errorResponses([400, 401, 403, 429]) },
      },
    },
    async (request) => {
      const { tenant } = tenantOf(request);
      const q = request.query;
      const filters: CursorFilters = {
        since: q.since,
        until: q.until,
        actor: q.actor,
        action: q.action,
      };
      const limit = q.limit === undefined ? config.defaultPageSize : Number(q.limit);
      if (limit > config.maxPageSize) {
        throw new ApiError("API_VALIDATION_FAILED", `limit must be at most ${config.maxPageSize}`);
      }
      const from = q.cursor === undefined ? 0 : decodeCursor(q.cursor, filters);
      const sinceMs = parseTime(q.since, "since");
      const untilMs = parseTime(q.until, "until");

      const page = await ledger.listEntries(tenant, {
        from,
        limit,
        sinceMs,
        untilMs,
        actor: q.actor,
        action: q.action,
      });

      const body: Static<typeof EntryPageSchema> = { entries: page.entries.map(entryView) };
      if (page.next !== undefined) body.nextCursor = encodeCursor(page.next, filters);
      return body;
    },
  );

  app.get<{ Params: Static<typeof IndexParamsSchema> }>(
    "/v1/entries/:index",
    {
      config: { access: { principal: "tenant", scopes: ["read"] } },
      schema: {
        summary: "Get one entry with its decrypted event",
        description: "An erased entry has erasedAtMs and no event; its leaf stays.",
        tags: ["entries"],
        security: BEARER_SECURITY,
        params: IndexParamsSchema,
        response: { 200: EntrySchema, ...errorResponses([400, 401, 403, 404, 429]) },
      },
    },
    async (request) => {
      const { tenant } = tenantOf(request);

      const entry = await ledger.entry(tenant, Number(request.params.index));

      return entryView(entry);
    },
  );
}

function parseTime(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new ApiError("API_VALIDATION_FAILED", `${name} is not a valid time`);
  return ms;
}
