// Previews of the files in a call's values: a FileData whose bytes the
// recorder kept carries a "fixture" key, and the app serves those bytes at
// /fixture/<fixture>.

export interface Preview {
  kind: 'image' | 'audio';
  src: string;
  name: string;
}

const BY_EXTENSION: Record<string, Preview['kind']> = {
  png: 'image',
  jpg: 'image',
  jpeg: 'image',
  gif: 'image',
  webp: 'image',
  svg: 'image',
  bmp: 'image',
  wav: 'audio',
  mp3: 'audio',
  ogg: 'audio',
  flac: 'audio',
  m4a: 'audio',
  opus: 'audio',
};

function kindOf(mime: unknown, name: string): Preview['kind'] | undefined {
  if (typeof mime === 'string' && mime) {
    if (mime.startsWith('image/')) return 'image';
    if (mime.startsWith('audio/')) return 'audio';
    return undefined;
  }
  return BY_EXTENSION[name.split('.').pop()?.toLowerCase() ?? ''];
}

function fixtureURL(fixture: string): string {
  return '/fixture/' + fixture.split('/').map(encodeURIComponent).join('/');
}

/** The images and sounds held in a value, at any depth, in order. */
export function previews(value: unknown): Preview[] {
  const found: Preview[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (v !== null && typeof v === 'object') {
      const obj = v as Record<string, unknown>;
      if (typeof obj.fixture === 'string') {
        const name = typeof obj.orig_name === 'string' ? obj.orig_name : obj.fixture;
        const kind = kindOf(obj.mime_type, name);
        if (kind) found.push({ kind, src: fixtureURL(obj.fixture), name });
        return;
      }
      Object.values(obj).forEach(walk);
    }
  };
  walk(value);
  return found;
}
