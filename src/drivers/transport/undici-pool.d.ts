// The pool's own module (see ./undici-calls.ts for why it is loaded alone):
// undici types it only through its main entry.
declare module "undici/lib/dispatcher/pool.js" {
  import type { Pool } from "undici";
  const PoolClass: typeof Pool;
  export default PoolClass;
}
