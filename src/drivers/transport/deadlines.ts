/**
 * Something with a deadline: `expire()` runs once its time is up, unless it
 * left its list first. Its links are its own fields, so entering and leaving
 * the list allocates nothing.
 */
export abstract class Deadline {
  /** `performance.now()` at which it expires. */
  at = 0;
  previous: Deadline | undefined;
  next: Deadline | undefined;
  listed = false;

  abstract expire(): void;
}

/**
 * The deadlines of a transport's exchanges, with one timer for all of them,
 * armed for the earliest. A Node timer per exchange cost every call an object,
 * an async id, a list of its length to make and drop, and a libuv timer to
 * arm and clear; here a call is linked in and out, and the timer is only
 * re-armed when it fires or an earlier deadline comes in.
 *
 * Kept in order of deadline. Calls mostly share one timeout, so a new one
 * goes at the end; a shorter one is walked back to its place.
 *
 * The timer holds the process open exactly while something waits on it, as
 * each exchange's own timer did: it is unref'd when the list empties and
 * ref'd again when a deadline comes in, staying armed meanwhile.
 */
export class Deadlines {
  #first: Deadline | undefined;
  #last: Deadline | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the timer fires (Infinity: not armed). */
  #armedFor = Infinity;

  /** Lists `item` to expire `ms` from now. */
  add(item: Deadline, ms: number): void {
    const at = performance.now() + ms;
    item.at = at;
    item.listed = true;
    let after = this.#last;
    while (after !== undefined && after.at > at) after = after.previous;
    item.previous = after;
    item.next = after === undefined ? this.#first : after.next;
    if (item.previous === undefined) this.#first = item;
    else item.previous.next = item;
    if (item.next === undefined) this.#last = item;
    else item.next.previous = item;
    if (at < this.#armedFor) this.#arm(at - performance.now());
    else if (this.#first === item && this.#last === item) this.#timer?.ref();
  }

  /** Takes `item` off the list (it will not expire); a no-op once it is off. */
  remove(item: Deadline): void {
    if (!item.listed) return;
    item.listed = false;
    if (item.previous === undefined) this.#first = item.next;
    else item.previous.next = item.next;
    if (item.next === undefined) this.#last = item.previous;
    else item.next.previous = item.previous;
    item.previous = undefined;
    item.next = undefined;
    // Nothing waits any more: the armed timer must not keep the process alive.
    if (this.#first === undefined) this.#timer?.unref();
  }

  /** Stops the timer; what is still listed never expires. */
  clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedFor = Infinity;
    for (let item = this.#first; item !== undefined; item = item.next) item.listed = false;
    this.#first = undefined;
    this.#last = undefined;
  }

  #arm(ms: number): void {
    clearTimeout(this.#timer);
    // A timer may fire a little before the clock reads its deadline; `fire` re-arms for the rest,
    // as it does past the longest wait a Node timer takes.
    const wait = Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(ms)));
    this.#armedFor = performance.now() + wait;
    this.#timer = setTimeout(fire, wait, this);
  }

  /**
   * Expires every deadline that has passed, then re-arms for the next, if
   * any. One that throws as it expires does not keep the others from
   * expiring, nor the timer from being re-armed: its error is thrown last,
   * as its own timer's callback would have thrown it.
   */
  fire(): void {
    this.#timer = undefined;
    this.#armedFor = Infinity;
    const now = performance.now();
    let failure: { error: unknown } | undefined;
    for (let item = this.#first; item !== undefined && item.at <= now; item = this.#first) {
      this.remove(item);
      try {
        item.expire();
      } catch (error) {
        failure ??= { error };
      }
    }
    if (this.#first !== undefined) this.#arm(this.#first.at - performance.now());
    if (failure !== undefined) throw failure.error;
  }
}

/** Node fires a longer timer at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function fire(deadlines: Deadlines): void {
  deadlines.fire();
}
