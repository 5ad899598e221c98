import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Starts the fixed-response server in its own Node process; resolves to its port and a stop function. */
export async function startFixedServer(): Promise<{ port: number; stop: () => void }> {
  const script = fileURLToPath(new URL("./fixed-server.ts", import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.stdout?.once("data", (chunk: Buffer) => resolve(Number(chunk.toString("utf8").trim())));
  });
  return { port, stop: () => child.kill() };
}
