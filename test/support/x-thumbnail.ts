import type { X11Connection } from '../../main/services/input/x11-connection';

const Z_PIXMAP = 2;

/**
 * A thumbnail of an X window (or the root) as a BMP data URL, grabbed in-process like
 * Electron's desktopCapturer does: one GetImage, nearest-neighbour scaling, no encoder. The
 * harness used to spawn ImageMagick per source, whose CPU on two cores slowed the session start
 * it was standing in for.
 */
export async function xThumbnail(conn: X11Connection, wid: number, maxWidth = 320, maxHeight = 200): Promise<string> {
  const { width, height } = await conn.call<{ width: number; height: number }>((cb) => conn.x.GetGeometry(wid, cb));
  const { data } = await conn.call<{ data: Buffer }>((cb) => conn.x.GetImage(Z_PIXMAP, wid, 0, 0, width, height, 0xffffffff, cb));
  const scale = Math.min(maxWidth / width, maxHeight / height, 1);
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const srcStride = data.length / height; // 32 bits per pixel, BGRX
  const rowBytes = (w * 3 + 3) & ~3;
  const bmp = Buffer.alloc(54 + rowBytes * h);
  bmp.write('BM', 0);
  bmp.writeUInt32LE(bmp.length, 2);
  bmp.writeUInt32LE(54, 10);
  bmp.writeUInt32LE(40, 14);
  bmp.writeInt32LE(w, 18);
  bmp.writeInt32LE(-h, 22); // negative height: rows top-down
  bmp.writeUInt16LE(1, 26);
  bmp.writeUInt16LE(24, 28);
  for (let y = 0; y < h; y++) {
    const src = Math.floor(y / scale) * srcStride;
    for (let x = 0; x < w; x++) {
      const s = src + Math.floor(x / scale) * 4;
      const d = 54 + y * rowBytes + x * 3;
      bmp[d] = data[s]!; // BMP stores BGR, as X does
      bmp[d + 1] = data[s + 1]!;
      bmp[d + 2] = data[s + 2]!;
    }
  }
  return `data:image/bmp;base64,${bmp.toString('base64')}`;
}
