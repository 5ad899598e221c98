/** Reads an environment variable where there is one (Node, Bun, Deno with Node compatibility). */
export function readEnv(name: string): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.[name];
  return value === undefined || value === "" ? undefined : value;
}

/** `node/20.20.2; linux`, `bun/1.1.0; darwin`, `deno/2.0.0; linux`, or `browser`. */
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
  if (g.navigator?.userAgent) return "browser";
  return "unknown";
}
