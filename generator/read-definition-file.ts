import { existsSync } from 'node:fs';
import { readBoundedFile, readProblem } from '../common/bounded-read.js';
import { inputLimits } from '../common/input-limits.js';
import { dirname, resolve } from 'node:path';
import { Node, type Expression, type Project, type SourceFile, SyntaxKind, ts } from 'ts-morph';
import type { DefinitionProblem } from './definition-problem.js';
import type { Position, StaticProperty, StaticValue } from './static-value.js';

/** One exported definition found in a file: the literal read statically. */
export interface RawDefinition {
  exportName: string;
  value: StaticValue;
  at: Position;
}

interface ReadContext {
  project: Project;
  /** How the file's path is shown in messages. */
  displayPath: (absolutePath: string) => string;
  problems: DefinitionProblem[];
  /** Identifiers being resolved, to stop cycles. */
  resolving: Set<string>;
}

function positionOf(node: Node, ctx: ReadContext): Position {
  const sourceFile = node.getSourceFile();
  const { line, column } = sourceFile.getLineAndColumnAtPos(node.getStart());
  return { file: ctx.displayPath(sourceFile.getFilePath()), line, col: column };
}

function problem(node: Node, ctx: ReadContext, message: string): StaticValue {
  const at = positionOf(node, ctx);
  ctx.problems.push({ ...at, message });
  return { kind: 'unresolved', at };
}

/** Strips `as const`, `satisfies T`, `x as T`, `<T>x`, `x!` and parentheses. */
function unwrap(expression: Expression): Expression {
  let current: Node = expression;
  for (;;) {
    if (Node.isSatisfiesExpression(current) || Node.isAsExpression(current) || Node.isParenthesizedExpression(current) ||
      Node.isTypeAssertion(current) || Node.isNonNullExpression(current)) {
      current = current.getExpression();
    } else {
      return current as Expression;
    }
  }
}

function propertyName(node: Node): string | undefined {
  if (Node.isIdentifier(node) || Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) {
    return Node.isIdentifier(node) ? node.getText() : node.getLiteralValue();
  }
  if (Node.isNumericLiteral(node)) return String(node.getLiteralValue());
  return undefined;
}

/** Finds the initializer of a `const` named `name` declared at the top of `file`, or imported into it. */
function resolveIdentifier(name: string, file: SourceFile, node: Node, ctx: ReadContext): StaticValue {
  const key = `${file.getFilePath()}#${name}`;
  if (ctx.resolving.has(key)) return problem(node, ctx, `'${name}' refers to itself`);
  const declaration = file.getVariableDeclaration(name);
  if (declaration) {
    const statement = declaration.getVariableStatement();
    const initializer = declaration.getInitializer();
    if (statement?.getDeclarationKind() !== 'const' || !initializer) {
      return problem(node, ctx, `'${name}' must be a const with a literal value to be read statically`);
    }
    ctx.resolving.add(key);
    try {
      return readValue(initializer, ctx);
    } finally {
      ctx.resolving.delete(key);
    }
  }
  for (const importDeclaration of file.getImportDeclarations()) {
    const specifier = importDeclaration.getModuleSpecifierValue();
    for (const named of importDeclaration.getNamedImports()) {
      const local = named.getAliasNode()?.getText() ?? named.getName();
      if (local !== name) continue;
      if (importDeclaration.isTypeOnly() || named.isTypeOnly()) return problem(node, ctx, `'${name}' is a type, not a value`);
      if (!specifier.startsWith('.')) {
        return problem(node, ctx, `'${name}' is imported from '${specifier}'; only constants from relative modules can be read statically`);
      }
      const target = resolveModulePath(file.getFilePath(), specifier);
      if (!target) return problem(node, ctx, `cannot find the module '${specifier}' that '${name}' is imported from`);
      let imported: SourceFile;
      try {
        imported = sourceFileAt(ctx.project, target);
      } catch (error) {
        return problem(node, ctx, `cannot read the module '${specifier}' that '${name}' is imported from: ${readProblem(error)}`);
      }
      const exported = imported.getVariableDeclaration(named.getName());
      if (!exported?.isExported()) {
        return problem(node, ctx, `'${specifier}' has no exported const '${named.getName()}'`);
      }
      return resolveIdentifier(named.getName(), imported, node, ctx);
    }
  }
  return problem(node, ctx, `cannot resolve '${name}' statically: expected a literal or a const declared in this file or imported from a relative module`);
}

function resolveModulePath(fromFile: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, resolve(base, 'index.ts')];
  return candidates.find((candidate) => candidate.endsWith('ts') && existsSync(candidate));
}

/** Reads an expression as a literal value; anything else becomes a problem. */
export function readValue(expression: Expression, ctx: ReadContext): StaticValue {
  const node = unwrap(expression);
  const at = positionOf(node, ctx);
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return { kind: 'string', value: node.getLiteralValue(), at };
  if (Node.isNumericLiteral(node)) return { kind: 'number', value: node.getLiteralValue(), at };
  if (Node.isPrefixUnaryExpression(node) && node.getOperatorToken() === SyntaxKind.MinusToken) {
    const operand = node.getOperand();
    if (Node.isNumericLiteral(operand)) return { kind: 'number', value: -operand.getLiteralValue(), at };
  }
  if (Node.isTrueLiteral(node) || Node.isFalseLiteral(node)) return { kind: 'boolean', value: node.getLiteralValue(), at };
  if (Node.isBinaryExpression(node) && node.getOperatorToken().getKind() === SyntaxKind.PlusToken) {
    // 'a' + 'b': string concatenation, so long texts can be split over lines.
    const left = readValue(node.getLeft(), ctx);
    const right = readValue(node.getRight(), ctx);
    if (left.kind === 'unresolved' || right.kind === 'unresolved') return { kind: 'unresolved', at };
    if (left.kind === 'string' && right.kind === 'string') return { kind: 'string', value: left.value + right.value, at };
    return problem(node, ctx, "only strings can be joined with '+' in a definition");
  }
  if (Node.isIdentifier(node)) return resolveIdentifier(node.getText(), node.getSourceFile(), node, ctx);
  if (Node.isArrayLiteralExpression(node)) {
    const items: StaticValue[] = [];
    for (const element of node.getElements()) {
      if (Node.isSpreadElement(element)) {
        const spread = readValue(element.getExpression(), ctx);
        if (spread.kind === 'array') items.push(...spread.items);
        else if (spread.kind !== 'unresolved') problem(element, ctx, `only an array can be spread into an array, not ${spread.kind}`);
      } else {
        items.push(readValue(element, ctx));
      }
    }
    return { kind: 'array', items, at };
  }
  if (Node.isObjectLiteralExpression(node)) {
    const properties = new Map<string, StaticProperty>();
    for (const property of node.getProperties()) {
      if (Node.isPropertyAssignment(property)) {
        const nameNode = property.getNameNode();
        const name = propertyName(nameNode);
        const initializer = property.getInitializer();
        if (name === undefined || !initializer) {
          problem(nameNode, ctx, 'a computed property name cannot be read statically');
          continue;
        }
        properties.set(name, { value: readValue(initializer, ctx), at: positionOf(nameNode, ctx) });
      } else if (Node.isShorthandPropertyAssignment(property)) {
        const name = property.getName();
        properties.set(name, { value: resolveIdentifier(name, property.getSourceFile(), property, ctx), at: positionOf(property, ctx) });
      } else if (Node.isSpreadAssignment(property)) {
        const spread = readValue(property.getExpression(), ctx);
        if (spread.kind === 'object') for (const [name, value] of spread.properties) properties.set(name, value);
        else if (spread.kind !== 'unresolved') problem(property, ctx, `only an object can be spread into an object, not ${spread.kind}`);
      } else {
        problem(property, ctx, 'methods and accessors cannot be read statically; use plain values');
      }
    }
    return { kind: 'object', properties, at };
  }
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the message names the ${…} syntax itself
  if (Node.isTemplateExpression(node)) return problem(node, ctx, 'a template string with ${…} cannot be read statically; use a plain string');
  return problem(node, ctx, `cannot read '${truncate(node.getText())}' statically: expected a literal value`);
}

function truncate(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 40 ? `${oneLine.slice(0, 37)}...` : oneLine;
}

/** A declaration is a definition when its literal is checked with `satisfies ReportDefinition` or typed as one. */
function isDefinitionInitializer(initializer: Expression | undefined, typeText: string | undefined): boolean {
  if (typeText !== undefined && /\bReportDefinition$/.test(typeText.trim())) return true;
  let node: Node | undefined = initializer;
  while (node && (Node.isSatisfiesExpression(node) || Node.isAsExpression(node) || Node.isParenthesizedExpression(node))) {
    if ((Node.isSatisfiesExpression(node) || Node.isAsExpression(node)) && /\bReportDefinition$/.test(node.getTypeNode()?.getText() ?? '')) {
      return true;
    }
    node = node.getExpression();
  }
  return false;
}

/**
 * A file as the project's source, its text read here to at most inputLimits.definition bytes and never
 * by ts-morph, which would read /dev/zero or a huge file without end (throws InputReadError).
 */
function sourceFileAt(project: Project, absolutePath: string): SourceFile {
  return project.getSourceFile(absolutePath) ?? project.createSourceFile(absolutePath, readBoundedFile(absolutePath, inputLimits.definition));
}

/** Reads every exported report definition of one file, without executing it. */
export function readDefinitionFile(
  project: Project,
  absolutePath: string,
  displayPath: (absolutePath: string) => string,
  problems: DefinitionProblem[],
): RawDefinition[] {
  const ctx: ReadContext = { project, displayPath, problems, resolving: new Set() };
  let file: SourceFile;
  try {
    file = sourceFileAt(project, absolutePath);
  } catch (error) {
    const folder = (error as NodeJS.ErrnoException).code === 'EISDIR' ? ` (name the definition files in it, such as '${displayPath(absolutePath)}/*.ts')` : '';
    problems.push({ file: displayPath(absolutePath), line: 1, col: 1, message: `cannot be read: ${readProblem(error)}${folder}` });
    return [];
  }
  // Syntax errors only: the parser's own diagnostics, without building a program or type-checking.
  const parseDiagnostics = (file.compilerNode as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  for (const diagnostic of parseDiagnostics) {
    const { line, column } = file.getLineAndColumnAtPos(diagnostic.start);
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    problems.push({ file: displayPath(absolutePath), line, col: column, message: `syntax error: ${text}` });
  }
  const definitions: RawDefinition[] = [];
  for (const statement of file.getVariableStatements()) {
    if (!statement.isExported()) continue;
    for (const declaration of statement.getDeclarations()) {
      const initializer = declaration.getInitializer();
      if (!isDefinitionInitializer(initializer, declaration.getTypeNode()?.getText())) continue;
      if (!initializer) continue;
      if (statement.getDeclarationKind() !== 'const') {
        problems.push({ ...positionOf(declaration, ctx), message: `report definition '${declaration.getName()}' must be declared with const` });
      }
      definitions.push({ exportName: declaration.getName(), value: readValue(initializer, ctx), at: positionOf(declaration, ctx) });
    }
  }
  const defaultExport = file.getExportAssignment((assignment) => !assignment.isExportEquals());
  if (defaultExport && isDefinitionInitializer(defaultExport.getExpression(), undefined)) {
    definitions.push({ exportName: 'default', value: readValue(defaultExport.getExpression(), ctx), at: positionOf(defaultExport, ctx) });
  }
  if (definitions.length === 0) {
    problems.push({
      file: displayPath(absolutePath), line: 1, col: 1,
      message: "no report definition found: expected 'export const name = { … } satisfies ReportDefinition;'",
    });
  }
  return definitions;
}
