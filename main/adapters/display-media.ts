import type { Session } from 'electron';
import type { SourceSelection } from '../services/source-selection';

/**
 * The renderer's `getDisplayMedia()` is answered with exactly the source the host
 * picked in the consent prompt, once; without a pick it gets nothing. No other
 * path in the app can start a capture.
 *
 * The answer is the pick itself (its id and name, checked against the list the prompt showed): enumerating the
 * sources again here would grab a thumbnail of every window (Electron's default size) before the capture can start.
 */
export function answerDisplayMediaWithPick(session: Pick<Session, 'setDisplayMediaRequestHandler'>, selection: SourceSelection): void {
  session.setDisplayMediaRequestHandler((_request, callback) => {
    const picked = selection.take();
    callback(picked ? { video: { id: picked.id, name: picked.name } } : {});
  });
}
