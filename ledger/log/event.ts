/**
 * Audit events: who did what to which resource, when. Validation keeps only the known fields
 * and rejects anything it cannot hash canonically.
 */
import { LedgerError } from "../errors";
import { canonicalJson, JsonValue } from "../verify/canonical-json";

/** One audit event as a tenant submits it. */
export interface AuditEvent {
  actor: string;
  action: string;
  resource: string;
  resourceClass?: string;
  /** The role the actor acted under (1-256 characters); compliance proofs check it. */
  role?: string;
  /** When the event happened, RFC 3339 (e.g. "2026-12-03T13:05:44Z"). */
  timestamp: string;
  attributes?: { [key: string]: JsonValue };
  payload?: JsonValue;
}

/** Default ceiling on one event's canonical JSON, in bytes. */
export const DEFAULT_MAX_EVENT_BYTES = 64 * 1024;
const MAX_NAME = 256;
const MAX_DEPTH = 16;
// A UTF-16 surrogate without its pair cannot be encoded as UTF-8, so it cannot be hashed.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Checks an untrusted value as an audit event and returns it normalised (known fields only)
 * with its canonical JSON.
 *
 * @throws LedgerError LEDGER_BAD_EVENT naming the field, LEDGER_EVENT_TOO_LARGE when the
 *   canonical JSON exceeds `maxBytes`.
 */
export function validateEvent(
  input: unknown,
  maxBytes = DEFAULT_MAX_EVENT_BYTES,
): { event: AuditEvent; canonical: string } {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw bad("event", "must be an object");
  }
  const raw = input as Record<string, unknown>;
  const known = new Set([
    "actor",
    "action",
    "resource",
    "resourceClass",
    "role",
    "timestamp",
    "attributes",
    "payload",
  ]);
  for (const k of Object.keys(raw)) if (!known.has(k)) throw bad(k, "is not an event field");

  const event: AuditEvent = {
    actor: name(raw.actor, "actor"),
    action: name(raw.action, "action"),
    resource: name(raw.resource, "resource"),
    timestamp: timestamp(raw.timestamp),
  };
  if (raw.resourceClass !== undefined)
    event.resourceClass = name(raw.resourceClass, "resourceClass");
  if (raw.role !== undefined) event.role = name(raw.role, "role");
  if (raw.attributes !== undefined) {
    const a = raw.attributes;
    if (typeof a !== "object" || a === null || Array.isArray(a)) {
      throw bad("attributes", "must be an object");
    }
    checkJson(a, "attributes", 0);
    event.attributes = a as { [key: string]: JsonValue };
  }
  if (raw.payload !== undefined) {
    checkJson(raw.payload, "payload", 0);
    event.payload = raw.payload as JsonValue;
  }

  const canonical = canonicalJson(event);
  const size = Buffer.byteLength(canonical, "utf8");
  if (size > maxBytes) {
    throw new LedgerError("LEDGER_EVENT_TOO_LARGE", `event is ${size} bytes, limit ${maxBytes}`, {
      size,
      limit: maxBytes,
    });
  }
  return { event, canonical };
}

function name(v: unknown, field: string): string {
  if (typeof v !== "string" || v.length === 0 || v.length > MAX_NAME) {
    throw bad(field, `must be a string of 1-${MAX_NAME} characters`);
  }
  if (LONE_SURROGATE.test(v)) throw bad(field, "is not valid Unicode");
  return v;
}

function timestamp(v: unknown): string {
  if (typeof v !== "string" || !RFC3339.test(v) || Number.isNaN(Date.parse(v))) {
    throw bad("timestamp", "must be an RFC 3339 date-time such as 2026-12-03T13:05:44Z");
  }
  return v;
}

function checkJson(v: unknown, path: string, depth: number): void {
  if (depth > MAX_DEPTH) throw bad(path, `nests deeper than ${MAX_DEPTH}`);
  if (v === null || typeof v === "boolean") return;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw bad(path, "is not a finite number");
    return;
  }
  if (typeof v === "string") {
    if (LONE_SURROGATE.test(v)) throw bad(path, "is not valid Unicode");
    return;
  }
  if (Array.isArray(v)) {
    v.forEach((x, i) => checkJson(x, `${path}[${i}]`, depth + 1));
    return;
  }
  if (typeof v === "object") {
    for (const [k, x] of Object.entries(v as object)) checkJson(x, `${path}.${k}`, depth + 1);
    return;
  }
  throw bad(path, `holds a ${typeof v}, which JSON cannot carry`);
}

function bad(field: string, why: string): LedgerError {
  return new LedgerError("LEDGER_BAD_EVENT", `event ${field} ${why}`, { field });
}
