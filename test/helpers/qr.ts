/**
 * Reads a QR code the way a buyer's camera would: from pixels of the rendered page, not from the
 * markup. The element is captured through DevTools at a zoom that gives every module several
 * pixels (the QR is vector: zooming re-rasterises it sharply), framed in a white quiet zone, and
 * decoded with jsQR.
 */
import { PNG } from 'pngjs';
import jsqr from 'jsqr';
import type { Locator, Page } from 'playwright-core';

/** Pixels across the captured element: ~10 per module even for the largest codes the page draws (version 20, 97 modules). */
const TARGET_PIXELS = 1000;
const MAX_ZOOM = 8;

/** The PNG with a white border `pad` pixels wide (jsQR finds the finder patterns more reliably with a quiet zone). */
function withQuietZone(png: PNG, pad: number): PNG {
  const framed = new PNG({ width: png.width + 2 * pad, height: png.height + 2 * pad });
  framed.data.fill(255);
  PNG.bitblt(png, framed, 0, 0, png.width, png.height, pad, pad);
  return framed;
}

/** Decodes a PNG that holds one QR code; null when none is found. */
export function decodeQrPng(bytes: Buffer): string | null {
  const png = withQuietZone(PNG.sync.read(bytes), 32);
  const found = jsqr.default(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height, { inversionAttempts: 'attemptBoth' });
  return found ? found.data : null;
}

/** A PNG of the element, zoomed so that it is about TARGET_PIXELS across. */
export async function captureZoomed(page: Page, target: Locator): Promise<Buffer> {
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  if (!box || box.width < 1 || box.height < 1) throw new Error('the QR element is not rendered');
  const scroll = (await page.evaluate('[window.scrollX, window.scrollY]')) as [number, number];
  const zoom = Math.min(MAX_ZOOM, Math.max(1, Math.ceil(TARGET_PIXELS / Math.min(box.width, box.height))));
  const cdp = await page.context().newCDPSession(page);
  try {
    // The clip is in page coordinates; boundingBox is relative to the viewport.
    const shot = (await cdp.send('Page.captureScreenshot', {
      format: 'png',
      clip: { x: box.x + scroll[0], y: box.y + scroll[1], width: box.width, height: box.height, scale: zoom },
    })) as { data: string };
    return Buffer.from(shot.data, 'base64');
  } finally {
    await cdp.detach();
  }
}

/** The text of the QR code drawn by `target` (an inline SVG or its container); fails when none can be read. */
export async function decodeQr(page: Page, target: Locator): Promise<string> {
  const text = decodeQrPng(await captureZoomed(page, target));
  if (text === null) throw new Error('no QR code could be read from the element');
  return text;
}
