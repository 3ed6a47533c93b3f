/**
 * `anchorlog tenants list|create|disable|enable`: tenant administration through the
 * service's operator routes.
 */
import { adminCall, type AdminOptions } from "./admin-target";
import { CliError, EXIT } from "./errors";
import { report, type Output } from "./output";

/** A tenant as the operator routes describe it. */
interface TenantView {
  id: string;
  origin: string;
  createdMs: number;
  disabled: boolean;
  treeSize: number;
  verifierKey: string;
}

/** What `tenants` can do. */
export type TenantAction = "list" | "create" | "disable" | "enable";

/**
 * Runs `action` (on tenant `id` except for list), prints the result, and resolves with 0.
 *
 * @throws CliError for bad usage, an unreachable service, or a refusal (CLI_API_ERROR).
 */
export async function runTenants(
  action: TenantAction,
  id: string | undefined,
  opts: AdminOptions,
  out: Output,
): Promise<number> {
  const call = adminCall(opts);
  if (action !== "list" && (id === undefined || id.length === 0)) {
    throw new CliError("CLI_USAGE", `tenants ${action} needs a tenant id`);
  }
  const path = `/v1/admin/tenants/${encodeURIComponent(id ?? "")}`;

  if (action === "list") {
    const { tenants } = await call<{ tenants: TenantView[] }>("/v1/admin/tenants");
    report(out, { ok: true, tenants }, () =>
      tenants.length === 0 ? ["no tenants"] : tenants.map(line),
    );
    return EXIT.ok;
  }

  const tenant =
    action === "create"
      ? await call<TenantView>("/v1/admin/tenants", { method: "POST", body: { id } })
      : await call<TenantView>(path, {
          method: "PATCH",
          body: { disabled: action === "disable" },
        });
  report(out, { ok: true, tenant }, () => [
    line(tenant),
    ...(action === "create" ? [`verifier key: ${tenant.verifierKey}`] : []),
  ]);
  return EXIT.ok;
}

function line(t: TenantView): string {
  const state = t.disabled ? "disabled" : "active";
  return `${t.id}  ${state}  size ${t.treeSize}  ${t.verifierKey}`;
}
