/**
 * Serves the browser verifier page (web/, built to web/dist by `npm run build:web`) at
 * /verify/. The page trusts no server, this one included: every check runs in the browser,
 * so serving it needs no key. Only the built index and its hashed assets are served.
 */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";

import type { FastifyInstance, FastifyReply } from "fastify";

import { ApiError } from "../errors";

/** Where the built page lives. */
export const VERIFIER_PAGE_DIR = resolve(__dirname, "..", "..", "web", "dist");

// Replaces Helmet's policy for the page: it must read a chain node on another origin, and it
// needs WebAssembly for Groth16 verification.
const PAGE_CSP =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
  "img-src 'self' data:; connect-src 'self' http: https:; base-uri 'none'; " +
  "form-action 'none'; object-src 'none'; frame-ancestors 'none'";

const ASSET = /^assets\/[A-Za-z0-9_.-]+\.(js|css|wasm|png|svg)$/;
const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  wasm: "application/wasm",
  png: "image/png",
  svg: "image/svg+xml",
};

/** Registers GET /verify and GET /verify/*. */
export function registerVerifierPageRoutes(app: FastifyInstance, dir = VERIFIER_PAGE_DIR): void {
  const hide = { hide: true };

  // The page uses relative paths, so it must be addressed with its trailing slash.
  app.get("/verify", { schema: hide, config: { rateLimit: false } }, async (_req, reply) =>
    reply.redirect("/verify/", 301),
  );

  app.get<{ Params: { "*": string } }>("/verify/*", { schema: hide }, async (request, reply) => {
    const path = request.params["*"] === "" ? "index.html" : request.params["*"];
    if (path !== "index.html" && !ASSET.test(path)) return notFound(reply);

    let body: Buffer;
    try {
      body = await readFile(join(dir, path));
    } catch {
      return notFound(reply);
    }
    const ext = path.slice(path.lastIndexOf(".") + 1);
    reply.header("content-security-policy", PAGE_CSP);
    reply.header(
      "cache-control",
      path === "index.html" ? "no-cache" : "public, max-age=31536000, immutable",
    );
    return reply.type(TYPES[ext] ?? "application/octet-stream").send(body);
  });
}

function notFound(_reply: FastifyReply): never {
  throw new ApiError(
    "API_NOT_FOUND",
    "no such file of the verifier page (built with npm run build:web?)",
  );
}
