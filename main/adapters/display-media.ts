import { desktopCapturer, type Session } from 'electron';
import type { SourceSelection } from '../services/source-selection';

type Sources = () => Promise<Electron.DesktopCapturerSource[]>;
const allSources: Sources = () => desktopCapturer.getSources({ types: ['screen', 'window'] });

/**
 * The renderer's `getDisplayMedia()` is answered with exactly the source the host
 * picked in the consent prompt, once; without a pick it gets nothing. No other
 * path in the app can start a capture.
 */
export function answerDisplayMediaWithPick(
  session: Pick<Session, 'setDisplayMediaRequestHandler'>,
  selection: SourceSelection,
  sources: Sources = allSources,
): void {
  session.setDisplayMediaRequestHandler(async (_request, callback) => {
    const picked = selection.take(await sources());
    callback(picked ? { video: picked } : {});
  });
}
