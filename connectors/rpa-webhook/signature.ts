/**
 * The callback URL's signature: HMAC-SHA256 over the call's correlation
 * token, so only URLs this engine handed out are accepted. Compared in
 * constant time; the token itself is single use (the engine refuses a
 * second completion).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function signToken(secret: string, token: string): string {
  return createHmac('sha256', secret).update(token, 'utf8').digest('base64url');
}

export function verifySignature(secret: string, token: string, signature: string): boolean {
  const expected = Buffer.from(signToken(secret, token), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // Unequal lengths cannot match; timingSafeEqual needs equal lengths, and the length of a digest is no secret.
  if (given.length !== expected.length) return false;
  return timingSafeEqual(given, expected);
}
