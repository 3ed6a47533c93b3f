/**
 * Operator route for backups: every record of the store, streamed from one store
 * iterator. A LevelDB iterator reads the snapshot taken when it was created, so the export
 * is consistent while appends go on: each group-commit batch is in it whole or not at all.
 * The `anchorlog backup` command turns the stream into a backup file.
 */
import { Readable } from "node:stream";

import type { FastifyInstance } from "fastify";
import { Type } from "@sinclair/typebox";

import type { KvStore } from "../../ledger/store/kv-store";
import { toBase64 } from "../../ledger/verify";
import { BEARER_SECURITY, RouteDeps } from "../route-deps";
import { errorResponses } from "../schemas";

const OPERATOR = { principal: "operator" } as const;

/** The whole key space: keys are printable ASCII, all below U+FFFF. */
const ALL_KEYS = { gte: "", lt: "\uffff" };

/** Records per chunk written to the response. */
const CHUNK_RECORDS = 256;

/** Registers GET /v1/admin/backup. */
export function registerAdminBackupRoute(app: FastifyInstance, deps: RouteDeps): void {
  const { ledger } = deps;

  app.get(
    "/v1/admin/backup",
    {
      // A HEAD twin would read the whole store to send nothing.
      exposeHeadRoute: false,
      config: { access: OPERATOR },
      schema: {
        summary: "Every record of the store, from one consistent snapshot (NDJSON)",
        description:
          'One line per record, ["<key>", "<base64 value>"], in key order, then ' +
          '{"end": true, "records": <count>}. A response without that last line is truncated. ' +
          "It holds API key digests and encrypted events, never the key files.",
        tags: ["admin"],
        security: BEARER_SECURITY,
        response: {
          200: {
            description: "NDJSON stream of store records",
            content: { "application/x-ndjson": { schema: Type.String() } },
          },
          ...errorResponses([401, 403, 429]),
        },
      },
    },
    async (request, reply) => {
      request.log.info({ keyId: request.principal?.keyId }, "backup started");

      reply.header("cache-control", "no-store").type("application/x-ndjson");
      return Readable.from(exportLines(ledger.store), { objectMode: false });
    },
  );
}

async function* exportLines(store: KvStore): AsyncGenerator<string> {
  let records = 0;
  let chunk: string[] = [];
  for await (const [key, value] of store.entries(ALL_KEYS)) {
    chunk.push(`${JSON.stringify([key, toBase64(value)])}\n`);
    records++;
    if (chunk.length >= CHUNK_RECORDS) {
      yield chunk.join("");
      chunk = [];
    }
  }
  chunk.push(`${JSON.stringify({ end: true, records })}\n`);
  yield chunk.join("");
}
