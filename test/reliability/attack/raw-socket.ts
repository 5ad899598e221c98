import net from "node:net";

/** Opens a TCP connection to the server; errors are the attacker's to ignore. */
export function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  }).then((socket) => {
    (socket as net.Socket).on("error", () => undefined);
    return socket as net.Socket;
  });
}

/**
 * Sends `bytes` on a fresh connection and reports the server's status line
 * ("HTTP/1.1 400 Bad Request"), or "closed without an answer", or "no answer
 * in N ms".
 */
export async function sendRaw(port: number, bytes: string | Buffer, waitMs = 3_000): Promise<string> {
  const socket = await connect(port);
  return new Promise((resolve) => {
    let answer = "";
    const done = (what: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(what);
    };
    const timer = setTimeout(() => done(`no answer in ${waitMs} ms`), waitMs);
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString("latin1");
      const line = answer.indexOf("\r\n");
      if (line >= 0) done(answer.slice(0, line));
    });
    socket.on("close", () => done(answer === "" ? "closed without an answer" : answer.split("\r\n")[0] ?? answer));
    socket.write(bytes);
  });
}

/** Opens `count` connections, a few hundred at a time (a burst of thousands would overflow the listen backlog). */
export async function openMany(port: number, count: number): Promise<net.Socket[]> {
  const sockets: net.Socket[] = [];
  for (let start = 0; start < count; start += 250) {
    const batch = Math.min(250, count - start);
    sockets.push(...(await Promise.all(Array.from({ length: batch }, () => connect(port)))));
  }
  return sockets;
}
