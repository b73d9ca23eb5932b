/**
 * The parsed form of an expression text. Nodes are immutable and shared by
 * every evaluation of the same text.
 */

export type UnaryOperator = 'neg' | 'not' | 'empty';
export type BinaryOperator = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '&&' | '||';

/** A literal text run of a composite expression. */
export interface TextNode {
  readonly kind: 'text';
  readonly value: string;
}

export interface LiteralNode {
  readonly kind: 'literal';
  readonly value: string | number | bigint | boolean | null;
}

export interface IdentifierNode {
  readonly kind: 'identifier';
  readonly name: string;
}

/** `base.name` */
export interface DotNode {
  readonly kind: 'dot';
  readonly base: ExpressionNode;
  readonly name: string;
}

/** `base[property]` */
export interface BracketNode {
  readonly kind: 'bracket';
  readonly base: ExpressionNode;
  readonly property: ExpressionNode;
}

/** `base.name(args)` or `base[nameExpression](args)` */
export interface MethodNode {
  readonly kind: 'method';
  readonly base: ExpressionNode;
  /** The base's source text, for "Target unreachable" messages. */
  readonly baseText: string;
  readonly name: string | ExpressionNode;
  readonly args: readonly ExpressionNode[];
}

/** `name(args)` or `prefix:name(args)`, looked up in the function registry. */
export interface FunctionNode {
  readonly kind: 'function';
  readonly name: string;
  readonly args: readonly ExpressionNode[];
}

export interface UnaryNode {
  readonly kind: 'unary';
  readonly operator: UnaryOperator;
  readonly operand: ExpressionNode;
}

export interface BinaryNode {
  readonly kind: 'binary';
  readonly operator: BinaryOperator;
  readonly left: ExpressionNode;
  readonly right: ExpressionNode;
}

/** `test ? yes : no` */
export interface ChoiceNode {
  readonly kind: 'choice';
  readonly test: ExpressionNode;
  readonly yes: ExpressionNode;
  readonly no: ExpressionNode;
}

export type ExpressionNode =
  | LiteralNode
  | IdentifierNode
  | DotNode
  | BracketNode
  | MethodNode
  | FunctionNode
  | UnaryNode
  | BinaryNode
  | ChoiceNode;

/** Text and `${...}` parts concatenated as strings. */
export interface CompositeNode {
  readonly kind: 'composite';
  readonly parts: readonly (TextNode | ExpressionNode)[];
}

/** What a whole expression text parses to. */
export type RootNode = TextNode | ExpressionNode | CompositeNode;
