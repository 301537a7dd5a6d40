// The TypeScript compiler for the extractors: its functions and enums as a value, loaded on first import, and the node types they name.
import type { ts as Compiler } from 'ts-morph';
import { typescriptLib } from '../typescript-lib.js';

/**
 * The compiler (`typescriptLib`: only the file ts-morph bundles, not ts-morph), for `ts.SyntaxKind`,
 * `ts.isCallExpression(…)` and the like. It merges with the namespace below, which gives `ts.Node`
 * and the other types their usual names: a type the extractors start to name is added there (the
 * typecheck says which).
 */
export const ts: typeof Compiler = typescriptLib();

// A namespace of types only: it adds no value, so it merges with the constant above.
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace ts {
  export type AsExpression = Compiler.AsExpression;
  export type AwaitExpression = Compiler.AwaitExpression;
  export type BinaryExpression = Compiler.BinaryExpression;
  export type BindingName = Compiler.BindingName;
  export type CallExpression = Compiler.CallExpression;
  export type ClassDeclaration = Compiler.ClassDeclaration;
  export type ClassLikeDeclaration = Compiler.ClassLikeDeclaration;
  export type CommentRange = Compiler.CommentRange;
  export type Decorator = Compiler.Decorator;
  export type Diagnostic = Compiler.Diagnostic;
  export type ElementAccessExpression = Compiler.ElementAccessExpression;
  export type Expression = Compiler.Expression;
  export type FunctionLikeDeclaration = Compiler.FunctionLikeDeclaration;
  export type Identifier = Compiler.Identifier;
  export type MemberName = Compiler.MemberName;
  export type NewExpression = Compiler.NewExpression;
  export type Node = Compiler.Node;
  export type NodeArray<T extends Node> = Compiler.NodeArray<T>;
  export type NonNullExpression = Compiler.NonNullExpression;
  export type ObjectBindingPattern = Compiler.ObjectBindingPattern;
  export type ObjectLiteralExpression = Compiler.ObjectLiteralExpression;
  export type ParenthesizedExpression = Compiler.ParenthesizedExpression;
  export type PropertyAccessExpression = Compiler.PropertyAccessExpression;
  export type PropertyName = Compiler.PropertyName;
  export type SatisfiesExpression = Compiler.SatisfiesExpression;
  export type ScriptKind = Compiler.ScriptKind;
  export type SignatureDeclaration = Compiler.SignatureDeclaration;
  export type SourceFile = Compiler.SourceFile;
  export type Statement = Compiler.Statement;
  export type StringLiteralLike = Compiler.StringLiteralLike;
  export type SyntaxKind = Compiler.SyntaxKind;
  export type TemplateExpression = Compiler.TemplateExpression;
  export type TypeAssertion = Compiler.TypeAssertion;
  export type TypeNode = Compiler.TypeNode;
  export type VariableDeclaration = Compiler.VariableDeclaration;
}
