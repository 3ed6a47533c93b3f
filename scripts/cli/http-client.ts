/**
 * Requests to an anchorlog service (or any tlog-tiles server) for the commands that talk
 * to one. A refusal by the service becomes a CliError carrying the problem's code and
 * detail; a service that cannot be reached becomes CLI_UNREACHABLE.
 */
import { CliError, oneLine } from "./errors";

/** What a request needs besides its path. */
export interface RequestOptions {
  readonly method?: "GET" | "POST" | "PATCH" | "DELETE";
  /** The bearer key, when the route needs one. */
  readonly key?: string;
  readonly body?: unknown;
  /** How long to wait for the answer's headers; 30,000 ms when omitted. */
  readonly timeoutMs?: number;
}

/**
 * Joins a base URL and a path. The base may end in "/" or not.
 *
 * @throws CliError CLI_USAGE when `base` is not an http(s) URL.
 */
export function joinUrl(base: string, path: string): string {
  if (!/^https?:\/\/\S+$/.test(base)) {
    throw new CliError("CLI_USAGE", `${JSON.stringify(base)} is not an http(s) URL`);
  }
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/**
 * Sends a request and resolves with the response once its status is 2xx.
 *
 * @throws CliError CLI_UNREACHABLE when the service does not answer, CLI_API_ERROR with
 *   the problem's code and detail for any other status.
 */
export async function request(url: string, opts: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (opts.key !== undefined) headers.authorization = `Bearer ${opts.key}`;
  if (opts.body !== undefined) headers["content-type"] = "application/json";

  let response: Response;
  try {
    response = await fetch(url, {
      method: opts.method ?? "GET",
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
    });
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause ?? err;
    throw new CliError("CLI_UNREACHABLE", `cannot reach ${origin(url)}: ${oneLine(cause)}`, {
      cause: err,
    });
  }
  if (response.ok) return response;

  throw await refusal(url, response);
}

/** Sends a request and resolves with its JSON answer (see {@link request}). */
export async function requestJson<T>(url: string, opts: RequestOptions = {}): Promise<T> {
  const response = await request(url, opts);
  try {
    return (await response.json()) as T;
  } catch (err) {
    throw new CliError("CLI_API_ERROR", `${url} answered with something other than JSON`, {
      cause: err,
    });
  }
}

/** Sends a request and resolves with its answer as text (see {@link request}). */
export async function requestText(url: string, opts: RequestOptions = {}): Promise<string> {
  return (await request(url, opts)).text();
}

/** Sends a request and resolves with its answer as bytes (see {@link request}). */
export async function requestBytes(url: string, opts: RequestOptions = {}): Promise<Uint8Array> {
  return new Uint8Array(await (await request(url, opts)).arrayBuffer());
}

async function refusal(url: string, response: Response): Promise<CliError> {
  let detail = response.statusText;
  let code: string | undefined;
  try {
    const problem = (await response.json()) as { detail?: string; title?: string; code?: string };
    detail = problem.detail ?? problem.title ?? detail;
    code = problem.code;
  } catch {
    // Not problem JSON (e.g. a proxy's page): the status line says enough.
  }
  const suffix = code === undefined ? "" : ` [${code}]`;
  return new CliError(
    "CLI_API_ERROR",
    `${origin(url)} refused ${new URL(url).pathname}: ${response.status} ${detail}${suffix}`,
  );
}

function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
