/**
 * ./first-call-floor.mjs with its worker started before the package is
 * imported, as `noukai/blocking` does: a script first-call-pairs.mjs can
 * run by path (it passes the port only).
 *
 *   node bench/client/first-call-floor-early.mjs <port>
 */
process.argv.push("early");
await import("./first-call-floor.mjs");
