import { applyQuality } from '../media/quality';
import type { PeerLink } from '../net/peer-link';

/** Applies the viewer's quality choice to the video sender and confirms what was applied. */
export function serveQualityRequests(link: PeerLink): () => void {
  return link.toolkit.on((m) => {
    const sender = link.videoSender;
    if (m.t !== 'quality.set' || !sender) return;
    applyQuality(sender, m.mode).then(
      () => link.toolkit.send({ t: 'quality.applied', mode: m.mode }),
      (err: unknown) => console.warn('quality not applied', err),
    );
  });
}
