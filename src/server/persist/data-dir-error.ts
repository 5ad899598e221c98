/** A data directory that cannot be used (held by another server, unreadable): the server does not start. */
export class DataDirError extends Error {
  override name = "DataDirError";
}
