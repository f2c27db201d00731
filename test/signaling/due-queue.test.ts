import { describe, expect, it } from 'vitest';
import { DueQueue } from '../../signaling/due-queue';

describe('DueQueue', () => {
  it('hands out exactly the items due, oldest first, each once', () => {
    const q = new DueQueue<string>();
    q.push(100, 'a');
    q.push(200, 'b');
    q.push(200, 'c');
    q.push(300, 'd');
    expect(q.takeDue(99)).toEqual([]);
    expect(q.takeDue(200)).toEqual(['a', 'b', 'c']);
    expect(q.takeDue(200)).toEqual([]);
    expect(q.takeDue(1000)).toEqual(['d']);
  });

  it('keeps working across compaction of a long queue', () => {
    const q = new DueQueue<number>();
    for (let i = 0; i < 5000; i++) q.push(i, i);
    expect(q.takeDue(2999)).toHaveLength(3000);
    q.push(6000, -1);
    expect(q.takeDue(4999)).toEqual(Array.from({ length: 2000 }, (_, i) => 3000 + i));
    expect(q.takeDue(6000)).toEqual([-1]);
  });
});
