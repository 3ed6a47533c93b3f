/**
 * Where operator commands send their requests: the service's base URL and an operator key,
 * from options or the ANCHORLOG_URL and ANCHORLOG_ADMIN_KEY environment variables.
 */
import { CliError } from "./errors";
import { joinUrl, requestJson, type RequestOptions } from "./http-client";

/** Options every operator command takes. */
export interface AdminOptions {
  readonly url?: string;
  readonly adminKey?: string;
}

/** Sends an operator request to `path` and resolves with its JSON answer. */
export type AdminCall = <T>(path: string, opts?: Omit<RequestOptions, "key">) => Promise<T>;

/**
 * An {@link AdminCall} for `opts`.
 *
 * @throws CliError CLI_USAGE without a URL or an operator key.
 */
export function adminCall(opts: AdminOptions): AdminCall {
  const key = opts.adminKey;
  if (opts.url === undefined) throw new CliError("CLI_USAGE", "give --url or set ANCHORLOG_URL");
  if (key === undefined || key.length === 0) {
    throw new CliError("CLI_USAGE", "give --admin-key or set ANCHORLOG_ADMIN_KEY");
  }
  const base = opts.url;
  return (path, request = {}) => requestJson(joinUrl(base, path), { ...request, key });
}
