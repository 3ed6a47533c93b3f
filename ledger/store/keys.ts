/**
 * The key layout of the store. Every tenant's data lives under its own prefix "t/<tenant>/",
 * so one tenant's range scan can never reach another's keys. Numbers are 16 hex digits so
 * keys sort in numeric order.
 *
 *   meta/format                      store format version
 *   tenant/<tenant>                  tenant record (JSON)
 *   t/<tenant>/state                 log state: size, latest signed checkpoint (JSON)
 *   t/<tenant>/leaf/<index>          leaf data (81 bytes)
 *   t/<tenant>/event/<index>         encrypted event and salt, or an erasure tombstone
 *   t/<tenant>/tile/<L>/<N>          tlog-tiles hash tile: up to 256 hashes of height 8L
 *   t/<tenant>/hash/<leaf hash hex>  leaf index by leaf hash
 *   t/<tenant>/cp/<size>             every signed checkpoint, by tree size
 *   t/<tenant>/idem/<key digest>     idempotency record (JSON)
 */

/** Fixed-width hex of a non-negative safe integer, for ordered keys. */
export function num(n: number): string {
  return n.toString(16).padStart(16, "0");
}

/** Parses the fixed-width hex written by {@link num}. */
export function parseNum(text: string): number {
  return parseInt(text, 16);
}

export const FORMAT_KEY = "meta/format";

export function tenantKey(tenant: string): string {
  return `tenant/${tenant}`;
}

export const TENANT_RANGE = { gte: "tenant/", lt: "tenant0" };

/** The key builders of one tenant's log. */
export function logKeys(tenant: string) {
  const p = `t/${tenant}/`;
  return {
    prefix: p,
    end: `t/${tenant}0`,
    state: `${p}state`,
    leaf: (index: number) => `${p}leaf/${num(index)}`,
    event: (index: number) => `${p}event/${num(index)}`,
    tile: (level: number, n: number) => `${p}tile/${level}/${num(n)}`,
    hash: (leafHashHex: string) => `${p}hash/${leafHashHex}`,
    checkpoint: (size: number) => `${p}cp/${num(size)}`,
    checkpointRange: { gte: `${p}cp/`, lt: `${p}cp0` },
    leafRange: (from: number, to: number) => ({
      gte: `${p}leaf/${num(from)}`,
      lt: `${p}leaf/${num(to)}`,
    }),
    idem: (digestHex: string) => `${p}idem/${digestHex}`,
  };
}

export type LogKeys = ReturnType<typeof logKeys>;
