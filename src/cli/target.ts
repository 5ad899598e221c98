import type { CliIo } from "./io.js";

/** Where a command's requests go, as the user named it: what error messages and printed hints need. */
export interface Target {
  /** The API root, without a trailing slash: `http://localhost:8080/api/v1`. */
  baseUrl: string;
  /** `localhost:8080`, `api.noukai.xyz`. */
  host: string;
  /** The setting that named it: `--dev`, `--base-url`, `NOUKAI_BASE_URL`, `NOUKAI_ENV`. */
  source: string;
  /** The dev environment (`--dev`, `NOUKAI_ENV=dev`): `nk_dev` when no key is given. */
  isDev: boolean;
  /** This machine: a local server is what should be there. */
  isLocal: boolean;
  /** The flags that name it again in a printed command (`--dev`, `--base-url URL`); none when the environment did. */
  flags: string[];
}

// Per command run (one io each): main's error handling learns where the failed call went without every command passing it on.
const targets = new WeakMap<CliIo, Target>();

export function rememberTarget(io: CliIo, target: Target): void {
  targets.set(io, target);
}

export function targetOf(io: CliIo): Target | undefined {
  return targets.get(io);
}
