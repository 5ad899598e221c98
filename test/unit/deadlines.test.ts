import { describe, expect, it } from "vitest";
import { Deadline, Deadlines } from "../../src/drivers/transport/deadlines.js";

class Recorded extends Deadline {
  expiredAt: number | undefined;
  constructor(readonly name: string, readonly log: string[]) {
    super();
  }
  expire(): void {
    this.expiredAt = performance.now();
    this.log.push(this.name);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Deadlines", () => {
  it("expires each item once its time is up, earliest first, whatever order they came in", async () => {
    const deadlines = new Deadlines();
    const log: string[] = [];
    const started = performance.now();
    const late = new Recorded("late", log);
    const early = new Recorded("early", log);
    const middle = new Recorded("middle", log);
    deadlines.add(late, 60);
    deadlines.add(early, 20);
    deadlines.add(middle, 40);
    await sleep(100);
    expect(log).toEqual(["early", "middle", "late"]);
    for (const [item, ms] of [[early, 20], [middle, 40], [late, 60]] as const) expect(item.expiredAt! - started).toBeGreaterThanOrEqual(ms - 1);
  });

  it("never expires an item taken off the list, and takes one off only once", async () => {
    const deadlines = new Deadlines();
    const log: string[] = [];
    const gone = new Recorded("gone", log);
    const kept = new Recorded("kept", log);
    deadlines.add(gone, 10);
    deadlines.add(kept, 30);
    deadlines.remove(gone);
    deadlines.remove(gone);
    await sleep(60);
    expect(log).toEqual(["kept"]);
  });

  it("re-arms for a deadline earlier than the one its timer waits for", async () => {
    const deadlines = new Deadlines();
    const log: string[] = [];
    deadlines.add(new Recorded("long", log), 10_000);
    deadlines.add(new Recorded("short", log), 10);
    await sleep(40);
    expect(log).toEqual(["short"]);
    deadlines.clear();
  });

  it("keeps working after its list empties and fills again", async () => {
    const deadlines = new Deadlines();
    const log: string[] = [];
    const first = new Recorded("first", log);
    deadlines.add(first, 5_000);
    deadlines.remove(first);
    deadlines.add(new Recorded("second", log), 10);
    await sleep(40);
    expect(log).toEqual(["second"]);
  });

  it("expires every due item and re-arms for the rest when one throws as it expires, then throws its error", async () => {
    const deadlines = new Deadlines();
    const log: string[] = [];
    class Throwing extends Recorded {
      override expire(): void {
        super.expire();
        throw new Error("expire failed");
      }
    }
    deadlines.add(new Throwing("throws", log), 0);
    deadlines.add(new Recorded("due too", log), 0);
    deadlines.add(new Recorded("later", log), 20);
    const due = performance.now() + 2;
    while (performance.now() < due) {
      // Both first deadlines pass; the timer has not run, since this loop holds the thread.
    }
    expect(() => deadlines.fire()).toThrow("expire failed");
    expect(log).toEqual(["throws", "due too"]);
    await sleep(60);
    expect(log).toEqual(["throws", "due too", "later"]);
  });
});
