/**
 * `{{secrets.NAME}}` in connector input values: resolved just before the
 * call, from the engine's secret source, and never stored. Whatever a
 * connector returns or throws is scrubbed of the resolved values before it
 * can reach variables, history, logs or errors.
 */
import { BadUserInputError } from '../errors.js';

export type SecretSource = (name: string) => string | undefined;

const REF = /\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

export const REDACTED = '***';

/** Resolves secret references anywhere in a JSON-like value; `used` collects the values substituted. */
export function resolveSecrets(value: unknown, source: SecretSource, where: string, used: Set<string>, path = ''): unknown {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return value;
    return value.replace(REF, (_m, name: string) => {
      const secret = source(name);
      if (secret === undefined) throw new BadUserInputError(`Secret '${name}' referenced by ${where}${path ? ` (input '${path}')` : ''} is not defined`, path || undefined);
      if (secret.length > 0) used.add(secret);
      return secret;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => resolveSecrets(v, source, where, used, `${path}[${i}]`));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveSecrets(v, source, where, used, path ? `${path}.${k}` : k);
    return out;
  }
  return value;
}

/** Replaces every occurrence of the secrets in strings nested in `value`. */
export function scrub(value: unknown, secrets: ReadonlySet<string>): unknown {
  if (secrets.size === 0) return value;
  if (typeof value === 'string') return scrubText(value, secrets);
  if (Array.isArray(value)) return value.map((v) => scrub(v, secrets));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = scrub(v, secrets);
    return out;
  }
  return value;
}

export function scrubText(text: string, secrets: ReadonlySet<string>): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
  return out;
}

/**
 * The default source: `CADENZAFLOW_SECRET_<NAME>` environment variables
 * (name upper-cased, dots and dashes as underscores), then a JSON file of
 * name → value when given.
 */
export function environmentSecrets(env: NodeJS.ProcessEnv = process.env, file?: Readonly<Record<string, string>>): SecretSource {
  return (name) => {
    const key = `CADENZAFLOW_SECRET_${name.toUpperCase().replace(/[.-]/g, '_')}`;
    return env[key] ?? file?.[name];
  };
}
