/**
 * `anchorlog keys list|create|revoke`: API key administration through the service's
 * operator routes. A key's secret is printed once, when it is created.
 */
import { adminCall, type AdminOptions } from "./admin-target";
import { CliError, EXIT } from "./errors";
import { report, type Output } from "./output";

/** A key as listed (never its secret). */
interface KeyInfo {
  id: string;
  tenant: string | null;
  scopes: string[];
  label: string;
  createdMs: number;
  revokedMs?: number;
}

/** Options of {@link runKeys}. */
export interface KeysOptions extends AdminOptions {
  readonly tenant?: string;
  readonly scopes?: string;
  readonly label?: string;
}

/** What `keys` can do. */
export type KeysAction = "list" | "create" | "revoke";

/**
 * Runs `action` (`id` is the key to revoke), prints the result, and resolves with 0.
 *
 * @throws CliError for bad usage, an unreachable service, or a refusal (CLI_API_ERROR).
 */
export async function runKeys(
  action: KeysAction,
  id: string | undefined,
  opts: KeysOptions,
  out: Output,
): Promise<number> {
  const call = adminCall(opts);
  const tenantPath =
    opts.tenant === undefined
      ? undefined
      : `/v1/admin/tenants/${encodeURIComponent(opts.tenant)}/keys`;

  if (action === "list") {
    const { keys } = await call<{ keys: KeyInfo[] }>(tenantPath ?? "/v1/admin/keys");
    report(out, { ok: true, keys }, () => (keys.length === 0 ? ["no keys"] : keys.map(line)));
    return EXIT.ok;
  }

  if (action === "revoke") {
    if (id === undefined) throw new CliError("CLI_USAGE", "keys revoke needs a key id");
    const key = await call<KeyInfo>(`/v1/admin/keys/${encodeURIComponent(id)}`, {
      method: "DELETE",
    });
    report(out, { ok: true, key }, () => [`revoked ${line(key)}`]);
    return EXIT.ok;
  }

  const scopes = (opts.scopes ?? "read")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const label = opts.label === undefined ? {} : { label: opts.label };
  const issued =
    tenantPath === undefined
      ? await call<{ key: string; info: KeyInfo }>("/v1/admin/keys", {
          method: "POST",
          body: label,
        })
      : await call<{ key: string; info: KeyInfo }>(tenantPath, {
          method: "POST",
          body: { scopes, ...label },
        });
  report(out, { ok: true, key: issued.key, info: issued.info }, () => [
    `created ${line(issued.info)}`,
    `key (shown once, keep it): ${issued.key}`,
  ]);
  return EXIT.ok;
}

function line(k: KeyInfo): string {
  const owner = k.tenant === null ? "operator" : `tenant ${k.tenant}`;
  const state = k.revokedMs === undefined ? "active" : "revoked";
  const label = k.label.length > 0 ? `  "${k.label}"` : "";
  return `${k.id}  ${owner}  ${k.scopes.join(",")}  ${state}${label}`;
}
