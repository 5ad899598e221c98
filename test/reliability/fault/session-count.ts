/**
 * Counts, on the server, the executions of each session: the ground truth
 * for "no execution ran twice". Read straight from the server (not through
 * the front door the clients used, which may be gone), with a plain `fetch`.
 */
export async function countExecutions(baseUrl: string, apiKey: string, sessionIds: readonly string[], concurrency = 16): Promise<number[]> {
  const counts = new Array<number>(sessionIds.length).fill(0);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < sessionIds.length; index = next++) {
      counts[index] = await executionsOf(baseUrl, apiKey, sessionIds[index] ?? "");
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return counts;
}

async function executionsOf(baseUrl: string, apiKey: string, sessionId: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const answer = await fetch(`${baseUrl}/seq/sessions/${sessionId}`, { headers: { authorization: `Bearer ${apiKey}` } });
      // A session the server never saw: no execution was tagged with it.
      if (answer.status === 404) return 0;
      if (answer.ok) return ((await answer.json()) as { executions: unknown[] }).executions.length;
      throw new Error(`GET /seq/sessions/${sessionId} answered ${answer.status}: ${await answer.text()}`);
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}
