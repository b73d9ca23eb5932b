/**
 * The JUEL scanner: splits an expression text into literal text runs and the
 * tokens inside `${...}` / `#{...}`. Tokens are produced on demand so that, as
 * in JUEL, the first problem reported is the leftmost one.
 */
import { ExpressionError } from '../errors.js';

export type TokenType =
  | 'TEXT'
  | 'START_DYNAMIC'
  | 'START_DEFERRED'
  | 'END_EVAL'
  | 'EOF'
  | 'IDENTIFIER'
  | 'STRING'
  | 'INTEGER'
  | 'FLOAT'
  | 'TRUE'
  | 'FALSE'
  | 'NULL'
  | 'EMPTY'
  | 'NOT'
  | 'AND'
  | 'OR'
  | 'DIV'
  | 'MOD'
  | 'EQ'
  | 'NE'
  | 'LT'
  | 'LE'
  | 'GT'
  | 'GE'
  | 'INSTANCEOF'
  | 'PLUS'
  | 'MINUS'
  | 'MUL'
  | 'LPAREN'
  | 'RPAREN'
  | 'LBRACK'
  | 'RBRACK'
  | 'DOT'
  | 'COMMA'
  | 'QUESTION'
  | 'COLON';

export interface Token {
  readonly type: TokenType;
  /** The source characters, e.g. `'a\'b'` for a string or `and` for a keyword. */
  readonly image: string;
  /** The decoded value of TEXT and STRING tokens. */
  readonly value: string;
  /** Offset of the first character in the whole expression text. */
  readonly pos: number;
  readonly end: number;
}

/** How JUEL names each token kind in "expected ..." parts of its messages. */
export const TOKEN_DESCRIPTIONS: Readonly<Record<TokenType, string>> = {
  TEXT: '<TEXT>',
  START_DYNAMIC: "'${'",
  START_DEFERRED: "'#{'",
  END_EVAL: "'}'",
  EOF: '<EOF>',
  IDENTIFIER: '<IDENTIFIER>',
  STRING: '<STRING>',
  INTEGER: '<INTEGER>',
  FLOAT: '<FLOAT>',
  TRUE: "'true'",
  FALSE: "'false'",
  NULL: "'null'",
  EMPTY: "'empty'",
  NOT: "'!'|'not'",
  AND: "'&&'|'and'",
  OR: "'||'|'or'",
  DIV: "'/'|'div'",
  MOD: "'%'|'mod'",
  EQ: "'=='|'eq'",
  NE: "'!='|'ne'",
  LT: "'<'|'lt'",
  LE: "'<='|'le'",
  GT: "'>'|'gt'",
  GE: "'>='|'ge'",
  INSTANCEOF: "'instanceof'",
  PLUS: "'+'",
  MINUS: "'-'",
  MUL: "'*'",
  LPAREN: "'('",
  RPAREN: "')'",
  LBRACK: "'['",
  RBRACK: "']'",
  DOT: "'.'",
  COMMA: "','",
  QUESTION: "'?'",
  COLON: "':'",
};

const KEYWORDS: ReadonlyMap<string, TokenType> = new Map<string, TokenType>([
  ['null', 'NULL'],
  ['true', 'TRUE'],
  ['false', 'FALSE'],
  ['empty', 'EMPTY'],
  ['div', 'DIV'],
  ['mod', 'MOD'],
  ['not', 'NOT'],
  ['and', 'AND'],
  ['or', 'OR'],
  ['le', 'LE'],
  ['lt', 'LT'],
  ['eq', 'EQ'],
  ['ne', 'NE'],
  ['ge', 'GE'],
  ['gt', 'GT'],
  ['instanceof', 'INSTANCEOF'],
]);

const SINGLE: Readonly<Record<string, TokenType>> = {
  '*': 'MUL',
  '/': 'DIV',
  '%': 'MOD',
  '+': 'PLUS',
  '-': 'MINUS',
  '?': 'QUESTION',
  ':': 'COLON',
  '[': 'LBRACK',
  ']': 'RBRACK',
  '(': 'LPAREN',
  ')': 'RPAREN',
  ',': 'COMMA',
};

const IDENTIFIER_START = /[\p{L}\p{Nl}\p{Sc}\p{Pc}]/u;
const IDENTIFIER_PART = /[\p{L}\p{Nl}\p{Sc}\p{Pc}\p{Mn}\p{Mc}\p{Nd}]/u;

export class Lexer {
  private position = 0;
  private inEval = false;

  constructor(readonly input: string) {}

  next(): Token {
    const input = this.input;
    if (this.inEval) {
      while (this.position < input.length && isWhitespace(input.charCodeAt(this.position))) this.position++;
    }
    const pos = this.position;
    if (pos >= input.length) return this.token('EOF', pos, pos, '');
    if (!this.inEval) {
      const c = input[pos];
      if ((c === '$' || c === '#') && input[pos + 1] === '{') {
        this.inEval = true;
        return this.token(c === '$' ? 'START_DYNAMIC' : 'START_DEFERRED', pos, pos + 2);
      }
      return this.text();
    }
    return this.evalToken(pos);
  }

  private token(type: TokenType, pos: number, end: number, value?: string): Token {
    this.position = end;
    const image = this.input.slice(pos, end);
    return { type, image, value: value ?? image, pos, end };
  }

  /** A run of literal text; `\${` and `\#{` stand for the characters themselves. */
  private text(): Token {
    const input = this.input;
    const start = this.position;
    let value = '';
    let i = start;
    let chunk = start;
    while (i < input.length) {
      const c = input[i];
      if ((c === '$' || c === '#') && input[i + 1] === '{') break;
      if (c === '\\' && (input[i + 1] === '$' || input[i + 1] === '#') && input[i + 2] === '{') {
        value += input.slice(chunk, i);
        chunk = i + 1;
        i += 3;
        continue;
      }
      i++;
    }
    value += input.slice(chunk, i);
    return this.token('TEXT', start, i, value);
  }

  private evalToken(pos: number): Token {
    const input = this.input;
    const c = input[pos] ?? '';
    const c2 = input[pos + 1];
    if (c === '}') {
      this.inEval = false;
      return this.token('END_EVAL', pos, pos + 1);
    }
    const single = SINGLE[c];
    if (single !== undefined) return this.token(single, pos, pos + 1);
    switch (c) {
      case '.':
        if (!isDigit(c2)) return this.token('DOT', pos, pos + 1);
        return this.number(pos);
      case '=':
        if (c2 === '=') return this.token('EQ', pos, pos + 2);
        break;
      case '&':
        if (c2 === '&') return this.token('AND', pos, pos + 2);
        break;
      case '|':
        if (c2 === '|') return this.token('OR', pos, pos + 2);
        break;
      case '!':
        return c2 === '=' ? this.token('NE', pos, pos + 2) : this.token('NOT', pos, pos + 1);
      case '<':
        return c2 === '=' ? this.token('LE', pos, pos + 2) : this.token('LT', pos, pos + 1);
      case '>':
        return c2 === '=' ? this.token('GE', pos, pos + 2) : this.token('GT', pos, pos + 1);
      case '"':
      case "'":
        return this.string(pos, c);
      default:
        if (isDigit(c)) return this.number(pos);
        if (IDENTIFIER_START.test(c)) return this.identifier(pos);
    }
    throw lexicalError(input, pos, `invalid character '${c}'`, 'expression token');
  }

  private string(pos: number, quote: string): Token {
    const input = this.input;
    let value = '';
    let i = pos + 1;
    while (i < input.length) {
      const c = input[i++];
      if (c === '\\') {
        if (i === input.length) throw lexicalError(input, pos, 'unterminated string', `${quote} or \\`);
        const escaped = input[i++];
        if (escaped !== '\\' && escaped !== quote) {
          throw lexicalError(input, pos, `invalid escape sequence \\${escaped}`, `\\${quote} or \\\\`);
        }
        value += escaped;
      } else if (c === quote) {
        return this.token('STRING', pos, i, value);
      } else {
        value += c;
      }
    }
    throw lexicalError(input, pos, 'unterminated string', quote);
  }

  private number(pos: number): Token {
    const input = this.input;
    let i = pos;
    let type: TokenType = 'INTEGER';
    while (isDigit(input[i])) i++;
    if (input[i] === '.') {
      i++;
      while (isDigit(input[i])) i++;
      type = 'FLOAT';
    }
    if (input[i] === 'e' || input[i] === 'E') {
      let j = i + 1;
      if (input[j] === '+' || input[j] === '-') j++;
      if (isDigit(input[j])) {
        while (isDigit(input[j])) j++;
        i = j;
        type = 'FLOAT';
      }
    }
    return this.token(type, pos, i);
  }

  private identifier(pos: number): Token {
    const input = this.input;
    let i = pos + 1;
    while (i < input.length && isIdentifierPart(input[i] ?? '')) i++;
    const image = input.slice(pos, i);
    return this.token(KEYWORDS.get(image) ?? 'IDENTIFIER', pos, i);
  }
}

export function lexicalError(text: string, pos: number, encountered: string, expected: string): ExpressionError {
  return new ExpressionError(
    `Error parsing '${text}': lexical error at position ${pos}, encountered ${encountered}, expected ${expected}`,
    text,
  );
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isIdentifierPart(c: string): boolean {
  const code = c.charCodeAt(0);
  if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || c === '_' || c === '$') return true;
  return code > 127 && IDENTIFIER_PART.test(c);
}

/** `Character.isWhitespace` for the characters that matter in expressions. */
function isWhitespace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || (code >= 28 && code <= 31);
}
