// ThumbHash decoding (format by Evan Wallace, https://evanw.github.io/thumbhash/): a ~25-byte DCT of a photo
// in LPQA colour space, drawn as a blurry placeholder while the real thumbnail loads.

function header(hash) {
  const h24 = hash[0] | (hash[1] << 8) | (hash[2] << 16);
  const h16 = hash[3] | (hash[4] << 8);
  const hasAlpha = (h24 >> 23) & 1;
  const landscape = (h16 >> 15) & 1;
  return {
    lDc: (h24 & 63) / 63,
    pDc: ((h24 >> 6) & 63) / 31.5 - 1,
    qDc: ((h24 >> 12) & 63) / 31.5 - 1,
    lScale: ((h24 >> 18) & 31) / 31,
    hasAlpha,
    pScale: ((h16 >> 3) & 63) / 63,
    qScale: ((h16 >> 9) & 63) / 63,
    lx: Math.max(3, landscape ? (hasAlpha ? 5 : 7) : h16 & 7),
    ly: Math.max(3, landscape ? h16 & 7 : hasAlpha ? 5 : 7),
  };
}

export function aspectRatio(hash) {
  const hasAlpha = hash[2] & 0x80;
  const landscape = hash[4] & 0x80;
  const lx = landscape ? (hasAlpha ? 5 : 7) : hash[3] & 7;
  const ly = landscape ? hash[3] & 7 : hasAlpha ? 5 : 7;
  return lx / ly;
}

export function decode(hash) {
  const h = header(hash);
  const aDc = h.hasAlpha ? (hash[5] & 15) / 15 : 1;
  const aScale = (hash[5] >> 4) / 15;
  const start = h.hasAlpha ? 6 : 5;
  let nibble = 0;
  // AC coefficients are 4-bit values in a triangle of the (nx, ny) grid, skipping the DC term.
  const channel = (nx, ny, scale) => {
    const out = [];
    for (let cy = 0; cy < ny; cy++) {
      for (let cx = cy ? 0 : 1; cx * ny < nx * (ny - cy); cx++) {
        const byte = hash[start + (nibble >> 1)];
        const v = (byte >> ((nibble & 1) << 2)) & 15;
        nibble++;
        out.push((v / 7.5 - 1) * scale);
      }
    }
    return out;
  };
  const lAc = channel(h.lx, h.ly, h.lScale);
  const pAc = channel(3, 3, h.pScale * 1.25);  // saturation boost compensates for quantisation
  const qAc = channel(3, 3, h.qScale * 1.25);
  const aAc = h.hasAlpha ? channel(5, 5, aScale) : [];

  const ratio = aspectRatio(hash);
  const w = Math.round(ratio > 1 ? 32 : 32 * ratio);
  const hgt = Math.round(ratio > 1 ? 32 / ratio : 32);
  const rgba = new Uint8ClampedArray(w * hgt * 4);
  const fx = [], fy = [];
  const nx = Math.max(h.lx, h.hasAlpha ? 5 : 3), ny = Math.max(h.ly, h.hasAlpha ? 5 : 3);
  for (let y = 0, i = 0; y < hgt; y++) {
    for (let cy = 0; cy < ny; cy++) fy[cy] = Math.cos((Math.PI / hgt) * (y + 0.5) * cy);
    for (let x = 0; x < w; x++, i += 4) {
      for (let cx = 0; cx < nx; cx++) fx[cx] = Math.cos((Math.PI / w) * (x + 0.5) * cx);
      let l = h.lDc, p = h.pDc, q = h.qDc, a = aDc;
      for (let cy = 0, j = 0; cy < h.ly; cy++) {
        const f2 = fy[cy] * 2;
        for (let cx = cy ? 0 : 1; cx * h.ly < h.lx * (h.ly - cy); cx++, j++) l += lAc[j] * fx[cx] * f2;
      }
      for (let cy = 0, j = 0; cy < 3; cy++) {
        const f2 = fy[cy] * 2;
        for (let cx = cy ? 0 : 1; cx < 3 - cy; cx++, j++) {
          const f = fx[cx] * f2;
          p += pAc[j] * f;
          q += qAc[j] * f;
        }
      }
      if (h.hasAlpha) {
        for (let cy = 0, j = 0; cy < 5; cy++) {
          const f2 = fy[cy] * 2;
          for (let cx = cy ? 0 : 1; cx < 5 - cy; cx++, j++) a += aAc[j] * fx[cx] * f2;
        }
      }
      const b = l - (2 / 3) * p;
      const r = (3 * l - b + q) / 2;
      const g = r - q;
      rgba[i] = 255 * Math.min(1, Math.max(0, r));
      rgba[i + 1] = 255 * Math.min(1, Math.max(0, g));
      rgba[i + 2] = 255 * Math.min(1, Math.max(0, b));
      rgba[i + 3] = 255 * Math.min(1, Math.max(0, a));
    }
  }
  return { w, h: hgt, rgba };
}

const cache = new Map();

// A data URL for a base64 thumbhash (what the API returns), cached: the timeline redraws often.
export function thumbhashDataUrl(b64) {
  if (!b64) return null;
  if (cache.has(b64)) return cache.get(b64);
  try {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const { w, h, rgba } = decode(bytes);
    const canvas = document.createElement("canvas");
    canvas.width = w;
    canvas.height = h;
    canvas.getContext("2d").putImageData(new ImageData(rgba, w, h), 0, 0);
    const url = canvas.toDataURL();
    if (cache.size > 5000) cache.clear();
    cache.set(b64, url);
    return url;
  } catch {
    return null;
  }
}
