/**
 * The app's routes as its source declares them: every module in app/routes with its route id, the URL paths it
 * answers, whether it has an action, and the intents that action tells apart. Tests that must cover every route
 * (the authorization matrix) compare their tables with this, so a new route or intent without a row fails them.
 *
 * Intents are read from the TypeScript syntax tree of the action and of every function it calls that lives in the
 * module or in app/ (found through `~/` imports): the labels of a `switch` on the intent, comparisons of the intent
 * with a string, `intent.startsWith(…)` (a family of intents such as "removeWindow:2"), and `intent: z.enum([…])`
 * in the module's schemas.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { projectRoot } from "~/cli/build-if-needed";

export type RouteModule = {
  /** The file name without its extension, as Remix names the route: "matches.$matchId_.sessions.new". */
  id: string;
  /** Matches the paths (without query) this route answers; a `$param` segment matches any one segment. */
  path: RegExp;
  hasAction: boolean;
  /** Intents the action compares with exactly. */
  intents: string[];
  /** Intent families the action recognises by their start ("removeWindow:" for "removeWindow:0", …). */
  intentPrefixes: string[];
};

const appFolder = path.join(projectRoot, "app");
const routesFolder = path.join(appFolder, "routes");

export function listRouteModules(): RouteModule[] {
  return fs
    .readdirSync(routesFolder)
    .filter((name) => /\.tsx?$/.test(name))
    .sort()
    .map((name) => {
      const file = path.join(routesFolder, name);
      const action = findAction(parse(file));
      const found = { intents: new Set<string>(), prefixes: new Set<string>() };
      if (action) collectIntents(action, file, found, new Set());
      for (const value of schemaIntents(parse(file))) found.intents.add(value);
      const id = name.replace(/\.tsx?$/, "");
      return { id, path: routePath(id), hasAction: action !== null, intents: [...found.intents].sort(), intentPrefixes: [...found.prefixes].sort() };
    });
}

/** Remix's flat-route file convention: "." separates segments, "[.]" is a literal dot, "$x" a parameter,
 * "_index" the index, a leading "_" a layout without a segment and a trailing "_" opts out of the parent's layout. */
function routePath(id: string) {
  const segments = id.match(/(?:\[[^\]]*\]|[^.[])+/g) ?? [];
  const parts = segments
    .filter((segment) => !segment.startsWith("_"))
    .map((segment) => segment.replace(/_$/, ""))
    .map((segment) => (segment.startsWith("$") ? "[^/]+" : segment.replace(/\[([^\]]*)\]/g, "$1").replace(/[.*+?^${}()|\\]/g, "\\$&")));
  return new RegExp(`^/${parts.join("/")}$`);
}

const parsed = new Map<string, ts.SourceFile>();

function parse(file: string) {
  let source = parsed.get(file);
  if (!source) {
    source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    parsed.set(file, source);
  }
  return source;
}

/** The body of the exported `action`, whether a function declaration or a `const`. */
function findAction(source: ts.SourceFile): ts.Node | null {
  return findDeclaration(source, "action", { exportedOnly: true });
}

/** A function's body by name: `function name(…) {…}` or `const name = (…) => …` at the top of the module. */
function findDeclaration(source: ts.SourceFile, name: string, { exportedOnly }: { exportedOnly: boolean }): ts.Node | null {
  for (const statement of source.statements) {
    const exported = ts.getModifiers(statement as ts.HasModifiers)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword) ?? false;
    if (exportedOnly && !exported) continue;
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === name && statement.body) return statement.body;
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name && declaration.initializer) return declaration.initializer;
      }
    }
  }
  return null;
}

/** A string constant of the module (`const pagePrefix = "page:"`), for `intent.startsWith(pagePrefix)`. */
function stringConstant(source: ts.SourceFile, name: string) {
  const initializer = findDeclaration(source, name, { exportedOnly: false });
  return initializer && ts.isStringLiteralLike(initializer) ? initializer.text : null;
}

/** `intent`, `form.intent`, `formData.get("intent")`: the expressions that hold the submitted intent. */
function isIntent(node: ts.Node) {
  return /(^|\.)intent$|\.get\(\s*"intent"\s*\)$/.test(node.getText());
}

function collectIntents(node: ts.Node, file: string, found: { intents: Set<string>; prefixes: Set<string> }, visited: Set<ts.Node>) {
  if (visited.has(node)) return;
  visited.add(node);
  const source = node.getSourceFile();
  const visit = (child: ts.Node): void => {
    if (ts.isSwitchStatement(child) && /intent/.test(child.expression.getText())) {
      for (const clause of child.caseBlock.clauses) {
        if (ts.isCaseClause(clause) && ts.isStringLiteralLike(clause.expression)) found.intents.add(clause.expression.text);
      }
    }
    if (ts.isBinaryExpression(child) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(child.operatorToken.kind)) {
      for (const [subject, value] of [[child.left, child.right], [child.right, child.left]] as const) {
        if (isIntent(subject) && ts.isStringLiteralLike(value)) found.intents.add(value.text);
      }
    }
    if (ts.isCallExpression(child)) {
      const callee = child.expression;
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === "startsWith" && isIntent(callee.expression)) {
        const argument = child.arguments[0];
        const prefix = argument && (ts.isStringLiteralLike(argument) ? argument.text : ts.isIdentifier(argument) ? stringConstant(source, argument.text) : null);
        if (prefix) found.prefixes.add(prefix);
      }
      if (ts.isIdentifier(callee)) {
        const called = resolveFunction(source, file, callee.text);
        if (called) collectIntents(called.body, called.file, found, visited);
      }
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
}

/** A called function's body: declared in this module, or imported from app/ through a `~/` path. */
function resolveFunction(source: ts.SourceFile, file: string, name: string): { body: ts.Node; file: string } | null {
  const local = findDeclaration(source, name, { exportedOnly: false });
  if (local) return { body: local, file };
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const specifier = statement.moduleSpecifier.text;
    const bindings = statement.importClause?.namedBindings;
    if (!specifier.startsWith("~/") || !bindings || !ts.isNamedImports(bindings)) continue;
    const imported = bindings.elements.find((element) => element.name.text === name);
    if (!imported) continue;
    const target = [".ts", ".tsx"].map((extension) => path.join(appFolder, `${specifier.slice(2)}${extension}`)).find((candidate) => fs.existsSync(candidate));
    const body = target && findDeclaration(parse(target), (imported.propertyName ?? imported.name).text, { exportedOnly: true });
    return body && target ? { body, file: target } : null;
  }
  return null;
}

/** `intent: z.enum(["accept", "decline"])` anywhere in the module: a schema that parses the intent. */
function schemaIntents(source: ts.SourceFile) {
  const values: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && node.name.getText() === "intent" && ts.isCallExpression(node.initializer) && node.initializer.expression.getText() === "z.enum") {
      const list = node.initializer.arguments[0];
      if (list && ts.isArrayLiteralExpression(list)) for (const element of list.elements) if (ts.isStringLiteralLike(element)) values.push(element.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return values;
}
