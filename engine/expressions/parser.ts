/**
 * A top-down parser for the EL 2.2 grammar as JUEL implements it:
 *
 *   tree    := text? ((dynamic text?)+ | (deferred text?)+)?     -- ${} and #{} do not mix
 *   expr    := or ('?' expr ':' expr)?
 *   or      := and (('||' | 'or') and)*
 *   and     := eq (('&&' | 'and') eq)*
 *   eq      := cmp (('==' | 'eq' | '!=' | 'ne') cmp)*
 *   cmp     := add (('<' | 'lt' | '>' | 'gt' | '<=' | 'le' | '>=' | 'ge') add)*
 *   add     := mul (('+' | '-') mul)*
 *   mul     := unary (('*' | '/' | 'div' | '%' | 'mod') unary)*
 *   unary   := ('!' | 'not' | '-' | 'empty') unary | value
 *   value   := (nonliteral | literal) ('.' IDENT params? | '[' expr ']' params?)*
 *   nonliteral := IDENT | (IDENT ':')? IDENT params | '(' expr ')'
 *
 * Syntax errors carry JUEL's wording and the offset in the whole text.
 */
import { ExpressionError } from '../errors.js';
import type { BinaryOperator, ExpressionNode, RootNode, TextNode } from './ast.js';
import { Lexer, TOKEN_DESCRIPTIONS, type Token, type TokenType } from './lexer.js';

export interface ParseResult {
  readonly root: RootNode;
  /** Top-level identifiers in order of first use. */
  readonly identifiers: readonly string[];
}

const EXPR_FIRST = (
  ['IDENTIFIER', 'STRING', 'FLOAT', 'INTEGER', 'TRUE', 'FALSE', 'NULL', 'MINUS', 'NOT', 'EMPTY', 'LPAREN'] as const
).map((t) => TOKEN_DESCRIPTIONS[t]).join('|');

const STARTS_EXPRESSION = new Set<TokenType>(['IDENTIFIER', 'STRING', 'FLOAT', 'INTEGER', 'TRUE', 'FALSE', 'NULL', 'MINUS', 'NOT', 'EMPTY', 'LPAREN']);

/** Keywords are still accepted as property names after a dot (`list.empty`), unlike JUEL. */
const KEYWORD_TOKENS = new Set<TokenType>(['TRUE', 'FALSE', 'NULL', 'EMPTY', 'NOT', 'AND', 'OR', 'DIV', 'MOD', 'EQ', 'NE', 'LT', 'LE', 'GT', 'GE', 'INSTANCEOF']);

const BINARY_LEVELS: readonly (Readonly<Partial<Record<TokenType, BinaryOperator>>>)[] = [
  { OR: '||' },
  { AND: '&&' },
  { EQ: '==', NE: '!=' },
  { LT: '<', GT: '>', LE: '<=', GE: '>=' },
  { PLUS: '+', MINUS: '-' },
  { MUL: '*', DIV: '/', MOD: '%' },
];

const LONG_MAX = 2n ** 63n - 1n;
/** Deeper nesting than this is rejected instead of exhausting the stack. */
const MAX_DEPTH = 200;

export function parse(text: string): ParseResult {
  return new Parser(text).tree();
}

class Parser {
  private readonly lexer: Lexer;
  private token: Token;
  private readonly lookahead: Token[] = [];
  private readonly identifiers = new Set<string>();
  /** End offset of the last consumed token. */
  private previousEnd = 0;
  private depth = 0;

  constructor(private readonly text: string) {
    this.lexer = new Lexer(text);
    this.token = this.lexer.next();
  }

  tree(): ParseResult {
    const parts: (TextNode | ExpressionNode)[] = [];
    const leading = this.textPart();
    if (leading) parts.push(leading);
    let start: TokenType | undefined;
    while (!this.at('EOF')) {
      if (start === undefined) {
        if (!this.at('START_DYNAMIC') && !this.at('START_DEFERRED')) {
          this.fail(`${TOKEN_DESCRIPTIONS.START_DEFERRED}|${TOKEN_DESCRIPTIONS.START_DYNAMIC}`);
        }
        start = this.token.type;
      }
      this.expect(start);
      parts.push(this.expr());
      this.expect('END_EVAL');
      const text = this.textPart();
      if (text) parts.push(text);
    }
    const [first] = parts;
    let root: RootNode;
    if (first === undefined) root = { kind: 'text', value: '' };
    else if (parts.length === 1) root = first;
    else root = { kind: 'composite', parts };
    return { root, identifiers: [...this.identifiers] };
  }

  private textPart(): TextNode | undefined {
    if (!this.at('TEXT')) return undefined;
    return { kind: 'text', value: this.consume().value };
  }

  private expr(): ExpressionNode {
    if (++this.depth > MAX_DEPTH) this.tooDeep();
    const test = this.binary(0);
    let node = test;
    if (this.at('QUESTION')) {
      this.consume();
      const yes = this.expr();
      this.expect('COLON');
      const no = this.expr();
      node = { kind: 'choice', test, yes, no };
    }
    this.depth--;
    return node;
  }

  private binary(level: number): ExpressionNode {
    const operators = BINARY_LEVELS[level];
    if (operators === undefined) return this.unary();
    let left = this.binary(level + 1);
    for (let op = operators[this.token.type]; op !== undefined; op = operators[this.token.type]) {
      this.consume();
      left = { kind: 'binary', operator: op, left, right: this.binary(level + 1) };
    }
    return left;
  }

  private unary(): ExpressionNode {
    if (++this.depth > MAX_DEPTH) this.tooDeep();
    let node: ExpressionNode;
    switch (this.token.type) {
      case 'NOT':
        this.consume();
        node = { kind: 'unary', operator: 'not', operand: this.unary() };
        break;
      case 'MINUS': {
        this.consume();
        const operand = this.unary();
        node =
          operand.kind === 'literal' && typeof operand.value === 'number' && operand.value !== 0
            ? { kind: 'literal', value: -operand.value }
            : { kind: 'unary', operator: 'neg', operand };
        break;
      }
      case 'EMPTY':
        this.consume();
        node = { kind: 'unary', operator: 'empty', operand: this.unary() };
        break;
      default: {
        const value = this.value();
        if (value === undefined) this.fail(EXPR_FIRST);
        node = value;
      }
    }
    this.depth--;
    return node;
  }

  private value(): ExpressionNode | undefined {
    const start = this.token.pos;
    let node = this.nonliteral() ?? this.literal();
    if (node === undefined) return undefined;
    for (;;) {
      const baseEnd = this.previousEnd;
      if (this.at('DOT')) {
        this.consume();
        if (!this.at('IDENTIFIER') && !KEYWORD_TOKENS.has(this.token.type)) this.fail(TOKEN_DESCRIPTIONS.IDENTIFIER);
        const name = this.consume().image;
        node =
          this.at('LPAREN')
            ? { kind: 'method', base: node, baseText: this.text.slice(start, baseEnd), name, args: this.params() }
            : { kind: 'dot', base: node, name };
      } else if (this.at('LBRACK')) {
        this.consume();
        const property = this.expr();
        this.expect('RBRACK');
        node =
          this.at('LPAREN')
            ? { kind: 'method', base: node, baseText: this.text.slice(start, baseEnd), name: property, args: this.params() }
            : { kind: 'bracket', base: node, property };
      } else {
        return node;
      }
    }
  }

  private nonliteral(): ExpressionNode | undefined {
    if (this.at('IDENTIFIER')) {
      let name = this.consume().image;
      if (this.at('COLON') && this.peek(0).type === 'IDENTIFIER' && this.peek(1).type === 'LPAREN') {
        this.consume();
        name += `:${this.consume().image}`;
      }
      if (this.at('LPAREN')) return { kind: 'function', name, args: this.params() };
      this.identifiers.add(name);
      return { kind: 'identifier', name };
    }
    if (this.at('LPAREN')) {
      this.consume();
      const node = this.expr();
      this.expect('RPAREN');
      return node;
    }
    return undefined;
  }

  private literal(): ExpressionNode | undefined {
    const token = this.token;
    switch (token.type) {
      case 'TRUE':
      case 'FALSE':
        this.consume();
        return { kind: 'literal', value: token.type === 'TRUE' };
      case 'NULL':
        this.consume();
        return { kind: 'literal', value: null };
      case 'STRING':
        this.consume();
        return { kind: 'literal', value: token.value };
      case 'INTEGER': {
        let value: number | bigint = Number(token.image);
        if (!Number.isSafeInteger(value)) {
          const big = BigInt(token.image);
          if (big > LONG_MAX) this.fail(TOKEN_DESCRIPTIONS.INTEGER);
          value = big;
        }
        this.consume();
        return { kind: 'literal', value };
      }
      case 'FLOAT':
        this.consume();
        return { kind: 'literal', value: Number(token.image) };
      default:
        return undefined;
    }
  }

  private params(): ExpressionNode[] {
    this.expect('LPAREN');
    const args: ExpressionNode[] = [];
    if (STARTS_EXPRESSION.has(this.token.type)) {
      args.push(this.expr());
      while (this.at('COMMA')) {
        this.consume();
        args.push(this.expr());
      }
    }
    this.expect('RPAREN');
    return args;
  }

  /** Reads the current token type without letting the compiler narrow it across consume() calls. */
  private at(type: TokenType): boolean {
    return this.token.type === type;
  }

  private consume(): Token {
    const token = this.token;
    this.previousEnd = token.end;
    this.token = this.lookahead.shift() ?? this.lexer.next();
    return token;
  }

  private expect(type: TokenType): Token {
    if (this.token.type !== type) this.fail(TOKEN_DESCRIPTIONS[type]);
    return this.consume();
  }

  private peek(index: number): Token {
    while (this.lookahead.length <= index) this.lookahead.push(this.lexer.next());
    return this.lookahead[index] as Token;
  }

  private fail(expected: string): never {
    const token = this.token;
    const encountered = token.type === 'EOF' ? '<EOF>' : `'${token.image}'`;
    throw new ExpressionError(
      `Error parsing '${this.text}': syntax error at position ${token.pos}, encountered ${encountered}, expected ${expected}`,
      this.text,
    );
  }

  private tooDeep(): never {
    throw new ExpressionError(
      `Error parsing '${this.text}': expression nested too deeply at position ${this.token.pos}`,
      this.text,
    );
  }
}
