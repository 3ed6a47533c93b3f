/**
 * fast-check generators of malformed and hostile requests: bad JSON, wrong types, huge
 * bodies, unknown and spoofed fields, bad cursors, odd indices, bad tile paths, bad
 * idempotency keys, wrong media types and methods. Each generated request is meant to be
 * refused, though a few may happen to be valid; none may ever cause a 5xx.
 */
import fc from "fast-check";

import { sampleEvent } from "../helpers/temp-ledger";

/** One request to inject. `key` picks the credential: tenant, operator or none. */
export interface HostileRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS";
  url: string;
  key: "tenant" | "operator" | "none";
  headers: Record<string, string>;
  payload?: string;
}

/** Limits the generators aim around (the test configures the app with them). */
export interface HostileLimits {
  bodyLimitBytes: number;
  maxBatchEvents: number;
}

const JSON_TYPE = { "content-type": "application/json" };

const valid = () => sampleEvent(1) as Record<string, unknown>;

/** JSON values of every type, small. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 20 }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);

/** Strings a hostile client likes to send where numbers or names belong. */
const oddText = fc.oneof(
  fc.constantFrom(
    "-1",
    "1e3",
    "0x10",
    " 1",
    "1.5",
    "01",
    "99999999999999999999",
    "9007199254740993",
    "NaN",
    "Infinity",
    "%00",
    "%ZZ",
    "..%2F..%2F",
    "\u0000",
    "ü",
    "😀",
    "' OR 1=1 --",
    "<script>",
    "__proto__",
    "constructor",
    "",
  ),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 10 }),
);

const encoded = oddText.map((t) => encodeURIComponent(t));

/** Server-set or foreign fields a client must never set. */
const spoofKey = fc.constantFrom(
  "index",
  "timeMs",
  "time",
  "leafHash",
  "leafData",
  "treeSize",
  "tenant",
  "tenantId",
  "hash",
  "erasedAtMs",
  "__proto__",
  "constructor",
);

/** A valid event with one field broken. */
const brokenEvent: fc.Arbitrary<unknown> = fc.oneof(
  fc
    .tuple(fc.constantFrom("actor", "action", "resource", "resourceClass", "timestamp"), anyJson)
    .map(([k, v]) => ({ ...valid(), [k]: v })),
  fc.constantFrom("actor", "action", "resource", "timestamp").map((k) => {
    const e = valid();
    delete e[k];
    return e;
  }),
  fc.tuple(spoofKey, anyJson).map(([k, v]) => ({ ...valid(), [k]: v })),
  fc.string({ maxLength: 40 }).map((t) => ({ ...valid(), timestamp: t })),
  fc.constantFrom(300, 1000).map((n) => ({ ...valid(), actor: "a".repeat(n) })),
  fc.constant({ ...valid(), resource: "\ud800" }),
  fc.constant({ ...valid(), attributes: [1, 2] }),
  fc.integer({ min: 17, max: 40 }).map((d) => ({ ...valid(), payload: nest(d) })),
  anyJson,
);

function nest(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { v };
  return v;
}

/** Bodies that are not JSON, or JSON that tries prototype tricks. */
const badJsonText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.constantFrom(
    "",
    "{",
    "}",
    "[",
    "{'a':1}",
    '{"actor":}',
    "nul",
    "1 2",
    '{"a":1,}',
    "\u0000",
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"admin":true}}}',
    "[".repeat(5000) + "]".repeat(5000),
  ),
  fc
    .constant(JSON.stringify(valid()))
    .chain((t) => fc.integer({ min: 1, max: t.length - 1 }).map((n) => t.slice(0, n))),
);

function jsonPost(url: string, body: unknown, extra: Record<string, string> = {}): HostileRequest {
  return {
    method: "POST",
    url,
    key: "tenant",
    headers: { ...JSON_TYPE, ...extra },
    payload: JSON.stringify(body),
  };
}

/** All generators, weighted towards the audit routes. */
export function hostileRequest(limits: HostileLimits): fc.Arbitrary<HostileRequest> {
  const entryUrl = fc.constantFrom("/v1/entries", "/v1/entries/batch");

  const badJson = fc.tuple(entryUrl, badJsonText).map(([url, text]): HostileRequest => ({
    ...jsonPost(url, null),
    payload: text,
  }));

  const badEvent = brokenEvent.map((e) => jsonPost("/v1/entries", e));

  const badBatch = fc.oneof(
    fc
      .array(brokenEvent, { minLength: 1, maxLength: 4 })
      .map((events) => jsonPost("/v1/entries/batch", { events: [valid(), ...events] })),
    fc.constant(jsonPost("/v1/entries/batch", { events: [] })),
    fc
      .tuple(spoofKey, anyJson)
      .map(([k, v]) => jsonPost("/v1/entries/batch", { events: [valid()], [k]: v })),
    fc.constant(jsonPost("/v1/entries/batch", { events: valid() })),
    fc
      .integer({ min: limits.maxBatchEvents + 1, max: limits.maxBatchEvents * 3 })
      .map((n) => jsonPost("/v1/entries/batch", { events: Array.from({ length: n }, valid) })),
  );

  const huge = fc
    .constantFrom(limits.bodyLimitBytes + 1, limits.bodyLimitBytes * 2, 70 * 1024)
    .map((n) => jsonPost("/v1/entries", { ...valid(), payload: "x".repeat(n) }));

  const badIdempotency = fc
    .oneof(
      fc.constantFrom("", " ", "a b", "x".repeat(201), "tab\there", "ü", "a,b"),
      fc.string({ minLength: 1, maxLength: 5 }).map((s) => `${s} ${s}`),
    )
    .map((k) => {
      const req = jsonPost("/v1/entries", valid(), { "idempotency-key": k });
      return req;
    });

  // The same idempotency key reused with different bodies: 201 first, 422 after.
  const idemReuse = fc
    .tuple(fc.constantFrom("reuse-1", "reuse-2"), fc.integer({ min: 0, max: 3 }))
    .map(([k, n]) => jsonPost("/v1/entries", sampleEvent(n), { "idempotency-key": k }));

  const badMediaType = fc
    .tuple(
      entryUrl,
      fc.constantFrom(
        "text/plain",
        "application/xml",
        "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded",
        "application/octet-stream",
        "application/json; charset=latin1",
        "",
      ),
    )
    .map(([url, type]): HostileRequest => ({
      ...jsonPost(url, valid()),
      headers: type === "" ? {} : { "content-type": type },
    }));

  const get = (url: string, key: HostileRequest["key"] = "tenant"): HostileRequest => ({
    method: "GET",
    url,
    key,
    headers: {},
  });

  const badIndex = fc
    .tuple(fc.constantFrom("", "/receipt", "/event"), encoded)
    .map(([suffix, i]) => get(`/v1/entries/${i}${suffix}`));

  const hugeIndex = fc
    .oneof(fc.bigInt({ min: 1n, max: 10n ** 30n }), fc.integer({ min: 5, max: 2 ** 53 }))
    .map((i) => get(`/v1/entries/${i}`));

  const badCursor = fc
    .oneof(
      encoded,
      fc.string({ maxLength: 40 }).map((t) => Buffer.from(t).toString("base64url")),
      fc.integer().map((n) => Buffer.from(`c1.${n}.0000000000000000`).toString("base64url")),
      fc.constant(Buffer.from("c1.1.ffffffffffffffff").toString("base64url")),
      fc.constant("A".repeat(300)),
    )
    .map((c) => get(`/v1/entries?cursor=${c}`));

  const badQuery = fc
    .tuple(
      fc.constantFrom("limit", "since", "until", "actor", "action", "tenant", "index", "x"),
      encoded,
    )
    .map(([k, v]) => get(`/v1/entries?${k}=${v}&${k === "x" ? "x" : "limit"}=${v}`));

  const badProof = fc
    .tuple(
      fc.constantFrom(
        "/v1/proofs/inclusion?index=",
        "/v1/proofs/inclusion?leafHash=",
        "/v1/proofs/inclusion?index=1&treeSize=",
        "/v1/proofs/consistency?size1=",
        "/v1/proofs/consistency?size1=1&size2=",
        "/v1/proofs/consistency?size2=",
      ),
      fc.oneof(encoded, fc.integer({ min: 0, max: 2 ** 53 }).map(String)),
    )
    .map(([u, v]) => get(`${u}${v}`));

  const tileSegment = fc.oneof(
    encoded,
    fc.constantFrom(
      "000",
      "x000/001",
      "001",
      "x001/x234/067",
      "000.p/0",
      "000.p/256",
      "000.p/",
      "000.p/01",
      "0000",
      "x1/000",
      "x001",
      "000/",
      "000.p/5/6",
      "x999/x999/x999/x999/x999/x999/999",
    ),
    fc
      .array(fc.integer({ min: 0, max: 999 }), { minLength: 1, maxLength: 7 })
      .map((parts) =>
        parts
          .map((p, i) => `${i < parts.length - 1 ? "x" : ""}${String(p).padStart(3, "0")}`)
          .join("/"),
      ),
  );
  const badTile = fc
    .tuple(
      fc.constantFrom("0", "1", "2", "63", "64", "00", "-1", "entries", "999", "1e1", "%20"),
      tileSegment,
    )
    .map(([level, n]) => get(`/v1/log/tile/${level}/${n}`));

  const badMethod = fc
    .tuple(
      fc.constantFrom("PUT", "PATCH", "DELETE", "OPTIONS") as fc.Arbitrary<
        HostileRequest["method"]
      >,
      fc.constantFrom("/v1/entries", "/v1/checkpoint", "/v1/entries/0", "/healthz", "/v1"),
    )
    .map(([method, url]): HostileRequest => ({ ...get(url), method }));

  const badPath = fc
    .oneof(
      encoded.map((t) => `/v1/${t}`),
      fc.constantFrom(
        "/v1/entries/%ZZ",
        "/v1//entries",
        "/v1/entries/0/../../admin/tenants",
        "/%00",
      ),
    )
    .map((url) => get(url));

  const badAdmin = fc.oneof(
    fc
      .oneof(encoded, fc.constantFrom("UPPER", "-lead", "a".repeat(64), "ok", "acme"))
      .map((id) => ({
        ...jsonPost("/v1/admin/tenants", { id: decodeURIComponent(id) }),
        key: "operator" as const,
      })),
    anyJson.map((v) => ({
      ...jsonPost("/v1/admin/tenants", { id: "x", extra: v }),
      key: "operator" as const,
    })),
    fc.tuple(encoded, anyJson).map(([t, v]) => ({
      ...jsonPost(`/v1/admin/tenants/${t}`, { disabled: v }),
      method: "PATCH" as const,
      key: "operator" as const,
    })),
    fc
      .array(fc.oneof(fc.constantFrom("read", "root", "admin", "ADMIN", ""), anyJson), {
        maxLength: 7,
      })
      .map((scopes) => ({
        ...jsonPost("/v1/admin/tenants/acme/keys", { scopes }),
        key: "operator" as const,
      })),
    encoded.map((id) => ({
      ...get(`/v1/admin/keys/${id}`, "operator"),
      method: "DELETE" as const,
    })),
  );

  const noKey = fc
    .constantFrom("/v1/entries", "/v1/checkpoint", "/v1/admin/tenants", "/v1/log/tile/0/000")
    .map((url) => get(url, "none"));

  return fc.oneof(
    badJson,
    badEvent,
    badBatch,
    huge,
    badIdempotency,
    idemReuse,
    badMediaType,
    badIndex,
    hugeIndex,
    badCursor,
    badQuery,
    badProof,
    badTile,
    badMethod,
    badPath,
    badAdmin,
    noKey,
  );
}
