/**
 * Access to the shared conformance vectors, kept outside this repository beside it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

/** The folder of the shared vectors: ANCHORLOG_VECTORS, or ../shared/vectors beside the repo. */
export function vectorsDir(): string {
  const dir = process.env.ANCHORLOG_VECTORS ?? resolve(__dirname, "../../../shared/vectors");
  if (!existsSync(dir))
    throw new Error(`conformance vectors not found at ${dir}; set ANCHORLOG_VECTORS`);
  return dir;
}

/** Every JSON file under `sub`, recursively, as [relative path, parsed content]. */
export function jsonFiles(sub: string): [string, unknown][] {
  const root = join(vectorsDir(), sub);
  const out: [string, unknown][] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".json"))
        out.push([p.slice(root.length + 1), JSON.parse(readFileSync(p, "utf8"))]);
    }
  };
  walk(root);
  return out;
}
