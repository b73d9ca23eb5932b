/**
 * Failures raised while evaluating, before they are wrapped into an
 * `ExpressionError` carrying the expression text. The three kinds mirror the
 * JUEL exceptions Camunda 7 distinguishes when it builds its message:
 * `PropertyNotFoundException` ("Unknown property used in expression"),
 * `MethodNotFoundException` ("Unknown method used in expression") and
 * `ELException` ("Error while evaluating expression").
 */

export class PropertyNotFound extends Error {
  override readonly name = 'PropertyNotFoundException';
}

export class MethodNotFound extends Error {
  override readonly name = 'MethodNotFoundException';
}

export class ElFailure extends Error {
  override readonly name = 'ELException';
}

/** Business errors and optimistic-lock conflicts leave an expression untouched. */
export function isPassThrough(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === 'BPMN_ERROR' || code === 'CONFLICT';
}
