/**
 * Reads an environment variable where there is one (Node, Bun, Deno). A
 * runtime that refuses to tell (Deno without `--allow-env`) is taken as not
 * setting it: the options given in code still decide.
 */
export function readEnv(name: string): string | undefined {
  let value: string | undefined;
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    value = env?.[name];
  } catch {
    return undefined;
  }
  return value === undefined || value === "" ? undefined : value;
}

/** `node/20.20.2; linux`, `bun/1.1.0; darwin`, `deno/2.0.0; linux`, `workerd`, or `browser`. */
export function runtimeDescription(): string {
  const g = globalThis as {
    process?: { versions?: Record<string, string>; platform?: string };
    Deno?: { version?: { deno?: string }; build?: { os?: string } };
    navigator?: { userAgent?: string };
  };
  if (g.Deno?.version?.deno) return `deno/${g.Deno.version.deno}; ${g.Deno.build?.os ?? "unknown"}`;
  const versions = g.process?.versions;
  if (versions?.["bun"]) return `bun/${versions["bun"]}; ${g.process?.platform ?? "unknown"}`;
  if (versions?.["node"]) return `node/${versions["node"]}; ${g.process?.platform ?? "unknown"}`;
  const agent = g.navigator?.userAgent;
  if (agent === "Cloudflare-Workers") return "workerd";
  if (agent) return "browser";
  return "unknown";
}
