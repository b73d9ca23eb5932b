/**
 * The `rpaWebhook` block of the plugin configuration, and where callbacks
 * are served.
 */
import { z } from '../../plugins/index.js';
import { httpUrl } from '../http/http-input.js';

/** The route path below `/plugins/<plugin name>`; the token follows it. */
export const CALLBACK_PATH = '/rpa/callback';

/** The plugin configuration's `rpaWebhook` block. */
export const rpaWebhookConfig = z
  .object({
    /** The signing key of callback URLs: a value, or a `{{secrets.NAME}}` reference. Default `{{secrets.RPA_CALLBACK_SECRET}}`. */
    callbackSecret: z.string().min(1).default('{{secrets.RPA_CALLBACK_SECRET}}'),
    /** Where bots reach this plugin's routes when that differs from the gateway's own URL (a proxy in between). */
    publicUrl: httpUrl.optional(),
    /** Largest callback body, bytes. Default 1 MiB. */
    maxBodyBytes: z.number().int().positive().default(1024 * 1024),
  })
  .strict();

export type RpaWebhookConfig = z.output<typeof rpaWebhookConfig>;

const SECRET_REF = /\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

/** The signing key; undefined when a referenced secret is not defined (the caller names it). */
export function resolveSigningKey(configured: string, secret: (name: string) => string | undefined): { key: string } | { missing: string } {
  let missing: string | null = null;
  const key = configured.replace(SECRET_REF, (_m, name: string) => {
    const v = secret(name);
    if (v === undefined) missing ??= name;
    return v ?? '';
  });
  return missing !== null ? { missing } : { key };
}

