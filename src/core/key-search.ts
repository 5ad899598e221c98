/**
 * The characters of JSON event text, most common first: its structure,
 * lower-case letters by their frequency in English, digits and the
 * separators of ids and names. Any other character is rarer than these.
 */
const COMMON = ' "e:,{}taoinsrhldcu_mp0123456789-fgwyb';

/**
 * A test for whether text holds `secret`, as `text.includes(secret)` answers.
 * V8 looks for a pattern's first character with a fast scan and compares the
 * rest at each hit, or, after many hits, skips through the text by the
 * pattern's characters. An API key is spelled with letters common in event
 * text ("nk_…"), so either way the search stops at nearly every word: on a
 * 16 KiB chunk of events, 5 µs. Scanning for the key's least common
 * character alone, and comparing the whole key only where it stands, took
 * 0.15 to 0.85 µs. Where that character turns out to be common too, the
 * search hands over to `includes` after a few hits per 64 characters.
 */
export function keySearch(secret: string): (text: string) => boolean {
  let at = 0;
  let rarity = -1;
  for (let i = 0; i < secret.length; i++) {
    const rank = COMMON.indexOf(secret.charAt(i));
    const score = rank === -1 ? COMMON.length : rank;
    if (score > rarity) {
      rarity = score;
      at = i;
    }
  }
  const anchor = secret.charAt(at);
  return (text) => {
    let misses = 8 + (text.length >> 6);
    for (let found = text.indexOf(anchor, at); found !== -1; found = text.indexOf(anchor, found + 1)) {
      if (text.startsWith(secret, found - at)) return true;
      // No place up to this one starts the key: the rest is searched from the next.
      if (--misses === 0) return text.includes(secret, found - at + 1);
    }
    return false;
  };
}
