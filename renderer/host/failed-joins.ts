import { count } from '../format';
import { h } from '../ui/dom';

/** What the host reads while someone tries wrong PINs: how many so far, and once the last one is used, that it is locked. */
export function failedJoinsText(attempts: number, max: number): string {
  if (attempts >= max)
    return `Someone tried a wrong PIN for this code ${count(attempts, 'time')}, so it is now locked: nobody can join with it. If that was not your technician, start a new session and give the new code only to them.`;
  return `Someone tried a wrong PIN for this code (${attempts} of ${max} attempts before it locks). If that was not your technician, end the session.`;
}

/** Someone is guessing this session's PIN: the warning under whatever the screen shows, so the host knows before the code locks. */
export function showFailedJoins(root: HTMLElement, attempts: number, max: number): void {
  root.querySelector('#failed-joins')?.remove();
  root.append(h('p', { class: 'error', id: 'failed-joins', role: 'alert' }, failedJoinsText(attempts, max)));
}
