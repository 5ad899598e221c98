/**
 * One value per process, whichever build asks for it. The package ships an
 * ES module build and a CommonJS build, and an app can load both (its own
 * code imports `noukai/express`, a library it uses requires `noukai`): each
 * build has its own copy of every module, so a scope opened by one and a
 * client made by the other would not see each other. What must be shared
 * is kept on `globalThis` under a registered symbol, whose name carries the
 * shape's version: a build whose shape differs makes its own.
 */
export function sharedByBuilds<T extends object>(name: string, make: () => T): T {
  const key = Symbol.for(`noukai.${name}`);
  const holder = globalThis as Record<symbol, unknown>;
  const existing = holder[key];
  if (existing !== undefined) return existing as T;
  const made = make();
  Object.defineProperty(holder, key, { value: made, enumerable: false, configurable: false, writable: false });
  return made;
}
