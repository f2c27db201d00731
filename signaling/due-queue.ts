/**
 * Items that fall due in the order they were added, because every item waits the same interval (heartbeats, idle
 * checks). The due ones are always at the front, so a timer tick costs only as much as what is due — not a pass
 * over every connection, which stalls the event loop for tens of milliseconds at ten thousand connections.
 */
export class DueQueue<T> {
  private entries: { at: number; item: T }[] = [];
  private head = 0;

  /** Meant for `at` no earlier than those queued; an earlier one is simply taken after the items ahead of it. */
  push(at: number, item: T): void {
    this.entries.push({ at, item });
  }

  /** Removes and returns the items due at `now`, oldest first. */
  takeDue(now: number): T[] {
    const due: T[] = [];
    while (this.head < this.entries.length && this.entries[this.head].at <= now) due.push(this.entries[this.head++].item);
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return due;
  }
}
