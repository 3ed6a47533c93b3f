/**
 * Serves the built page at /verify/ on 127.0.0.1, as the service should: with the headers
 * below and, when an app is given, the service's /v1 routes on the same origin (forwarded
 * in-process with `inject`, so auth and tile routes are the real ones).
 */
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";

import type { FastifyInstance } from "fastify";

/**
 * The page's Content-Security-Policy as a header: the meta tag's policy plus what only a
 * header can say (no framing).
 */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
  "img-src 'self' data:; connect-src 'self' http: https:; base-uri 'none'; " +
  "form-action 'none'; object-src 'none'; frame-ancestors 'none'";

/** Headers for every file of the page. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": PAGE_CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
};

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".wasm": "application/wasm",
};

/** A running page server. */
export interface PageServer {
  /** The page's URL, ending in /verify/. */
  pageUrl: string;
  /** The server's origin, e.g. http://127.0.0.1:41234. */
  origin: string;
  close(): Promise<void>;
}

/** Serves `dir` at /verify/ and, when given, `api`'s routes under /v1/. */
export async function servePage(dir: string, api?: FastifyInstance): Promise<PageServer> {
  const server = createServer((req, res) => {
    handle(dir, api, req, res).catch(() => {
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;

  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    pageUrl: `${origin}/verify/`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

async function handle(
  dir: string,
  api: FastifyInstance | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");

  if (url.pathname.startsWith("/v1/") && api !== undefined) {
    const answer = await api.inject({
      method: "GET",
      url: url.pathname + url.search,
      headers: req.headers.authorization ? { authorization: req.headers.authorization } : {},
    });
    const type = answer.headers["content-type"];
    res.writeHead(answer.statusCode, type ? { "content-type": String(type) } : {});
    res.end(answer.rawPayload);
    return;
  }

  if (!url.pathname.startsWith("/verify/") || req.method !== "GET") {
    res.writeHead(404).end();
    return;
  }
  const rel = normalize(url.pathname.slice("/verify/".length) || "index.html");
  if (rel.startsWith("..") || rel.includes(`${sep}..`)) {
    res.writeHead(404).end();
    return;
  }

  let body: Buffer;
  try {
    body = await readFile(join(dir, rel));
  } catch {
    res.writeHead(404).end();
    return;
  }
  const type = TYPES[extname(rel)] ?? "application/octet-stream";
  res.writeHead(200, { ...PAGE_HEADERS, "content-type": type, "cache-control": "no-cache" });
  res.end(body);
}
