/**
 * `--name value` options of a bench script, taken out of its arguments as
 * they are read, so that what is left are its positional arguments.
 */
export function scriptOptions(args: string[]): (name: string, fallback: string) => string {
  return (name, fallback) => {
    const at = args.indexOf(`--${name}`);
    if (at < 0) return fallback;
    const value = args[at + 1] ?? fallback;
    args.splice(at, 2);
    return value;
  };
}
