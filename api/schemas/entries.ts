/**
 * Schemas of audit entries: the event a tenant submits, what an append acknowledges, and an
 * entry as read back. Server-set fields (index, times, hashes, tenant) appear only in
 * responses; request schemas reject them as unknown properties.
 */
import { Static, Type } from "@sinclair/typebox";

import type { AppendResult, AuditEvent, EntryRecord } from "../../ledger";
import { DecimalString } from "./common";
import { sameKeys } from "./same-keys";

const Name = (description: string) => Type.String({ minLength: 1, maxLength: 256, description });

/** Any JSON value; the ledger bounds its depth and size. */
const AnyJson = Type.Unknown({ description: "Any JSON value (depth at most 16)" });

/** An audit event as a tenant submits it (and as it is read back). */
export const AuditEventSchema = Type.Object(
  {
    actor: Name("Who acted"),
    action: Name("What was done"),
    resource: Name("To what"),
    resourceClass: Type.Optional(Name("Class of the resource, used by compliance policies")),
    role: Type.Optional(Name("The role the actor acted under; compliance proofs check it")),

    timestamp: Type.String({
      pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$",
      maxLength: 40,
      description: "When it happened, RFC 3339 (e.g. 2026-12-03T13:05:44Z)",
    }),
    attributes: Type.Optional(
      Type.Object({}, { additionalProperties: AnyJson, description: "Free-form JSON object" }),
    ),
    payload: Type.Optional(AnyJson),
  },
  { additionalProperties: false, title: "AuditEvent" },
);

// The schema names exactly the ledger's event fields (see ./same-keys).
sameKeys<Static<typeof AuditEventSchema>, AuditEvent>(true);

/** Body of POST /v1/entries/batch. */
export const BatchBodySchema = Type.Object(
  {
    events: Type.Array(AuditEventSchema, {
      minItems: 1,
      description: "Events appended all or nothing, with consecutive indices",
    }),
  },
  { additionalProperties: false },
);

/** What the ledger acknowledges for one appended entry. */
export const AppendResultSchema = Type.Object(
  {
    index: Type.Integer({ description: "Leaf index in the tenant's log" }),
    leafHash: Type.String({ description: "RFC 6962 leaf hash, hex" }),
    timeMs: Type.Integer({ description: "Integration time, ms since the Unix epoch" }),
    treeSize: Type.Integer({ description: "Size of the first signed checkpoint that includes it" }),
  },
  { additionalProperties: false, title: "AppendResult" },
);

sameKeys<Static<typeof AppendResultSchema>, AppendResult>(true);

/** Response of POST /v1/entries/batch. */
export const BatchResultSchema = Type.Object(
  { entries: Type.Array(AppendResultSchema) },
  { additionalProperties: false },
);

/** An entry as read back. */
export const EntrySchema = Type.Object(
  {
    index: Type.Integer(),
    leafHash: Type.String({ description: "RFC 6962 leaf hash, hex" }),
    leafData: Type.String({ description: "Leaf data, base64" }),
    timeMs: Type.Integer({ description: "Integration time, ms since the Unix epoch" }),
    event: Type.Optional(AuditEventSchema),
    erasedAtMs: Type.Optional(
      Type.Integer({ description: "Set once the event was erased: when (the leaf stays)" }),
    ),
  },
  { additionalProperties: false, title: "Entry" },
);

sameKeys<Static<typeof EntrySchema>, EntryRecord>(true);

/** Path parameters naming an entry. */
export const IndexParamsSchema = Type.Object(
  { index: DecimalString("Leaf index") },
  { additionalProperties: false },
);

const Rfc3339 = (description: string) =>
  Type.String({
    pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$",
    description,
  });

/** Query of GET /v1/entries. */
export const ListQuerySchema = Type.Object(
  {
    cursor: Type.Optional(
      Type.String({
        pattern: "^[A-Za-z0-9_-]{1,200}$",
        description: "Opaque cursor from a previous page's nextCursor",
      }),
    ),
    limit: Type.Optional(
      Type.String({ pattern: "^[1-9][0-9]{0,3}$", description: "Entries per page (1-1000)" }),
    ),
    since: Type.Optional(Rfc3339("Integration time at or after (RFC 3339)")),
    until: Type.Optional(Rfc3339("Integration time before (RFC 3339)")),
    actor: Type.Optional(Name("Only events by this actor")),
    action: Type.Optional(Name("Only events with this action")),
  },
  { additionalProperties: false },
);

/** Response of GET /v1/entries. */
export const EntryPageSchema = Type.Object(
  {
    entries: Type.Array(EntrySchema),
    nextCursor: Type.Optional(
      Type.String({ description: "Pass as cursor to continue; absent at the end of the log" }),
    ),
  },
  { additionalProperties: false },
);

/** Response of DELETE /v1/entries/{index}/event. */
export const ErasureSchema = Type.Object(
  {
    index: Type.Integer(),
    erasedAtMs: Type.Integer({ description: "When the event was erased (first erasure wins)" }),
  },
  { additionalProperties: false },
);
