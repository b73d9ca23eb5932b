/**
 * The little JavaScript the sandbox needs, kept small on purpose: QuickJS
 * (WebAssembly, size-optimised build) compiles about 6 KB per millisecond, so
 * each snippet is compiled only in the runs that need it. Everything else is
 * done from the host through the QuickJS API.
 *
 * Snippets compiled after the user script (codec for a result, describe)
 * see whatever the script did to the globals. That only spoils the script's
 * own result; the host treats every answer as untrusted.
 */

/**
 * `[encode, decode]` for objects crossing the boundary; the sandbox half of
 * `value-codec.ts` (Date ↔ `"\u0000d<ms>"`, NUL-led strings escaped as
 * `"\u0000s..."`).
 */
export const CODEC_SOURCE = String.raw`(function () {
  'use strict';
  var NativeDate = Date, getTime = Date.prototype.getTime, parse = JSON.parse, stringify = JSON.stringify;
  function revive(key, value) {
    if (typeof value === 'string' && value.charCodeAt(0) === 0) {
      return value.charCodeAt(1) === 100 ? new NativeDate(Number(value.slice(2))) : value.slice(2);
    }
    return value;
  }
  function replace(key, value) {
    var raw = this[key];
    if (raw instanceof NativeDate) return '\u0000d' + getTime.call(raw);
    if (typeof value === 'string' && value.charCodeAt(0) === 0) return '\u0000s' + value;
    if (typeof value === 'bigint') return Number(value);
    return value;
  }
  return [
    function encode(value) { var text = stringify(value, replace); return text === undefined ? '' : text; },
    function decode(text) { return parse(text, revive); },
  ];
})()`;

/**
 * Camunda's `org.camunda.bpm.engine.delegate.BpmnError(errorCode[, message])`,
 * also reachable as `BpmnError` and through `Java.type(...)`. Instances carry
 * the host's unique symbol `brand`, which the script cannot see or forge.
 */
export const BPMN_ERROR_SOURCE = String.raw`(function (brand) {
  'use strict';
  var BPMN_ERROR_CLASS = 'org.camunda.bpm.engine.delegate.BpmnError';
  class BpmnError extends Error {
    constructor(errorCode, message) {
      var hasMessage = message !== undefined && message !== null;
      super(hasMessage ? String(message) : String(errorCode));
      this.name = 'BpmnError';
      this.errorCode = String(errorCode);
      if (hasMessage) this.errorMessage = String(message);
      Object.defineProperty(this, brand, { value: true });
    }
    getErrorCode() { return this.errorCode; }
  }
  var global = globalThis;
  global.BpmnError = BpmnError;
  global.org = { camunda: { bpm: { engine: { delegate: { BpmnError: BpmnError } } } } };
  global.Java = {
    type: function type(className) {
      if (className === BPMN_ERROR_CLASS) return BpmnError;
      throw new TypeError('Java class ' + className + ' is not available in the script sandbox');
    },
  };
})`;

/**
 * Describes an exception that escaped the script as an array:
 * `['bpmn', errorCode, message?]`, `['error', name, message, stack]` or
 * `['value', printed, stack]`.
 */
export const DESCRIBE_SOURCE = String.raw`(function (thrown, brand) {
  'use strict';
  function text(value) {
    try { return String(value); } catch (unprintable) { return Object.prototype.toString.call(value); }
  }
  var isObject = (typeof thrown === 'object' && thrown !== null) || typeof thrown === 'function';
  if (isObject && brand !== undefined && thrown[brand] === true) {
    return ['bpmn', text(thrown.errorCode), thrown.errorMessage === undefined ? undefined : text(thrown.errorMessage)];
  }
  var stack = isObject && typeof thrown.stack === 'string' ? thrown.stack : '';
  if (isObject && typeof thrown.message === 'string') return ['error', text(thrown.name), thrown.message, stack];
  return ['value', typeof thrown === 'string' ? JSON.stringify(thrown) : text(thrown), stack];
})`;
