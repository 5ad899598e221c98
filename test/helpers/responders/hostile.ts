/** Every hostile answer of the reliability suites, by name, for one RawServer. */
export * from "./hostile-errors.js";
export * from "./hostile-http.js";
export * from "./hostile-streams.js";
