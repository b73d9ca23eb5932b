/**
 * `java.util.regex` as `String.replaceAll`, `replaceFirst`, `split` and
 * `matches` use it. Patterns run on JavaScript's engine, which accepts the
 * common subset; a leading inline flag group such as `(?i)` is translated.
 * Replacement strings follow Java's rules (`$1`, `${name}`, `\$`), not JavaScript's.
 */
import { ElFailure } from './failures.js';

const MAX_CACHED = 500;
const cache = new Map<string, RegExp>();

export function javaReplaceAll(text: string, regex: string, replacement: string): string {
  return replace(text, compile(regex, 'g'), replacement, false);
}

export function javaReplaceFirst(text: string, regex: string, replacement: string): string {
  return replace(text, compile(regex, 'g'), replacement, true);
}

export function javaMatches(text: string, regex: string): boolean {
  const re = compile(regex, 'whole');
  re.lastIndex = 0;
  return re.test(text);
}

/** `String.split(regex, limit)`: no group captures in the result, trailing empties dropped when limit is 0. */
export function javaSplit(text: string, regex: string, limit = 0): string[] {
  if (text === '') return [''];
  const re = compile(regex, 'g');
  const parts: string[] = [];
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const length = m[0].length;
    if (length === 0) {
      re.lastIndex++;
      // A zero-width match at the start never produces a leading empty string.
      if (m.index === 0) continue;
      if (m.index >= text.length) break;
    }
    if (limit > 0 && parts.length === limit - 1) break;
    parts.push(text.slice(last, m.index));
    last = m.index + length;
  }
  parts.push(text.slice(last));
  if (limit === 0) while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (limit === 0 && parts.length === 1 && parts[0] === '' && last > 0) return [];
  return parts;
}

function replace(text: string, re: RegExp, replacement: string, firstOnly: boolean): string {
  let out = '';
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out += text.slice(last, m.index) + expand(replacement, m);
    last = m.index + m[0].length;
    if (firstOnly) break;
    if (m[0].length === 0) {
      if (m.index >= text.length) break;
      re.lastIndex++;
    }
  }
  return out + text.slice(last);
}

function expand(replacement: string, m: RegExpExecArray): string {
  if (!replacement.includes('$') && !replacement.includes('\\')) return replacement;
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i];
    if (c === '\\') {
      i++;
      if (i >= replacement.length) throw new ElFailure('character to be escaped is missing');
      out += replacement[i];
    } else if (c === '$') {
      i++;
      if (replacement[i] === '{') {
        const end = replacement.indexOf('}', i);
        const name = end < 0 ? '' : replacement.slice(i + 1, end);
        if (name === '' || m.groups === undefined || !(name in m.groups)) throw new ElFailure(`No group with name {${name}}`);
        out += m.groups[name] ?? '';
        i = end;
      } else {
        const first = replacement.charCodeAt(i) - 48;
        if (!(first >= 0 && first <= 9)) throw new ElFailure('Illegal group reference');
        let group = first;
        // Java takes further digits only while they still name an existing group.
        while (i + 1 < replacement.length) {
          const digit = replacement.charCodeAt(i + 1) - 48;
          if (!(digit >= 0 && digit <= 9) || group * 10 + digit >= m.length) break;
          group = group * 10 + digit;
          i++;
        }
        if (group >= m.length) throw new ElFailure(`No group ${group}`);
        out += m[group] ?? '';
      }
    } else {
      out += c;
    }
  }
  return out;
}

function compile(regex: string, mode: 'g' | 'whole'): RegExp {
  const key = `${mode}\u0000${regex}`;
  let re = cache.get(key);
  if (re === undefined) {
    let source = regex;
    let flags = '';
    const inline = /^\(\?([imsux]+)\)/.exec(source);
    if (inline) {
      source = source.slice(inline[0].length);
      for (const f of inline[1] ?? '') {
        if (f === 'i' || f === 'm' || f === 's') flags += f;
        // 'u' (Unicode case) and 'x' (comments) have no JavaScript equivalent worth emulating.
        else if (f === 'x') throw new ElFailure(`Unsupported regular expression flag (?x) in '${regex}'`);
      }
    }
    try {
      re = mode === 'g' ? new RegExp(source, `${flags}g`) : new RegExp(`(?:${source})(?![\\s\\S])`, `${flags}y`);
    } catch (e) {
      throw new ElFailure(`Invalid regular expression '${regex}': ${(e as Error).message}`);
    }
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, re);
  }
  return re;
}
