import { create, type QRCodeErrorCorrectionLevel } from 'qrcode';
import { html, type SafeHtml } from './html.js';

/** The blank border scanners need, in modules (the QR standard asks for 4). */
export const QUIET_ZONE = 4;
/** Medium error correction: survives a glare or a crease without making long invoices too dense to scan. */
export const ERROR_CORRECTION: QRCodeErrorCorrectionLevel = 'M';
/** The rendered size the page asks for; the stylesheet scales it down on narrow screens. */
const DISPLAY_PX = 264;

/**
 * The QR code of `text` as an inline SVG: dark modules as one path on a white square, so it is
 * drawn by our server (no third-party image service) and needs no `style` attribute (strict CSP).
 */
export function qrSvg(text: string, label: string): SafeHtml {
  const { modules } = create(text, { errorCorrectionLevel: ERROR_CORRECTION });
  const size = modules.size + QUIET_ZONE * 2;
  let d = '';
  for (let row = 0; row < modules.size; row++) {
    // One rectangle per horizontal run of dark modules keeps the path short.
    for (let col = 0; col < modules.size; ) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col++;
      d += `M${start + QUIET_ZONE} ${row + QUIET_ZONE}h${col - start}v1h-${col - start}z`;
    }
  }
  return html`<svg class="qr-code" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="${DISPLAY_PX}" height="${DISPLAY_PX}" role="img" aria-label="${label}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#ffffff"/><path fill="#000000" d="${d}"/></svg>`;
}
