/**
 * Imports run one way, down the layers the README draws: entry points -> api/, web/ -> services/ ->
 * worker/ -> workflows/, activities/ -> templates/ -> db/ -> config/ -> domain/. This test reads the
 * import statements of every .ts file of the engine (not the tests) and fails on an import that
 * goes up or sideways, and on a circle of imports.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');
const SOURCE_FOLDERS = ['embedded', 'scripts', 'bench', 'api', 'web', 'services', 'worker', 'workflows', 'activities', 'templates', 'db', 'config', 'domain'];
const ENTRY_FILES = new Set(['api/main.ts', 'worker/main.ts']);
const ENTRY_FOLDERS = new Set(['embedded', 'scripts', 'bench']);

/** Higher ranks may import lower ones; folders of equal rank are siblings and may not import each other. */
const RANK: Record<string, number> = {
  entry: 9,
  api: 8,
  web: 8,
  services: 7,
  worker: 6,
  workflows: 5,
  activities: 5,
  templates: 4,
  db: 3,
  config: 2,
  domain: 1,
};

/** The only modules a sibling may import from (types only) between workflows/ and activities/. */
const SIBLING_TYPE_MODULES = new Set(['activities/index.ts', 'workflows/contracts.ts']);

interface ImportEdge {
  from: string;
  to: string;
  typeOnly: boolean;
}

/** The layer of a file (relative to the root, forward slashes). */
export function layerOf(file: string): string {
  if (ENTRY_FILES.has(file)) return 'entry';
  const top = file.split('/')[0];
  return ENTRY_FOLDERS.has(top) ? 'entry' : top;
}

/** Why an import breaks the order, or null when it is allowed. */
export function violation(edge: ImportEdge): string | null {
  const from = layerOf(edge.from);
  const to = layerOf(edge.to);
  if (from === to) return null;
  if (from === 'domain') return 'domain/ imports nothing of the project outside domain/';
  // Workflow code runs in Temporal's sandbox: values only from itself and domain/; types from anywhere below.
  if (from === 'workflows' && !edge.typeOnly && to !== 'domain') return 'workflows/ may take values only from domain/';
  if (to === 'entry') return 'nothing imports an entry point';
  // Letter samples live with the tests; only the developer's sample renderer (an entry point) reads them.
  if (to === 'test') return from === 'entry' ? null : 'the engine does not import test/';
  if (RANK[from] > RANK[to]) return null;
  // Types carry no code: workflows type their activity proxies from the activity factory, and
  // activities take the message shapes from the workflows' contracts module; nothing else crosses.
  if (edge.typeOnly && RANK[from] === RANK[to] && SIBLING_TYPE_MODULES.has(edge.to)) return null;
  return `${from}/ may not import ${to}/ (imports run entry -> api, web -> services -> worker -> workflows, activities -> templates -> db -> config -> domain)`;
}

function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(rel);
    }
  };
  for (const folder of SOURCE_FOLDERS) if (fs.existsSync(path.join(ROOT, folder))) walk(folder);
  return files;
}

/** The project file a relative specifier names, or null for a package or a non-TypeScript file. */
function resolve(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) {
    if (candidate.endsWith('.ts') && fs.existsSync(path.join(ROOT, candidate))) return candidate;
  }
  return null;
}

/** Every import, re-export, dynamic import and require of a file, marked type-only where it is. */
function importsOf(file: string): ImportEdge[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const edges: ImportEdge[] = [];
  const add = (specifier: ts.Node | undefined, typeOnly: boolean): void => {
    if (!specifier || !ts.isStringLiteralLike(specifier)) return;
    const to = resolve(file, specifier.text);
    if (to) edges.push({ from: file, to, typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const onlyTypes = !!clause && (clause.isTypeOnly || (!clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier, onlyTypes);
    } else if (ts.isExportDeclaration(node)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      add(node.moduleSpecifier, node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      const isResolve = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'require' && callee.name.text === 'resolve';
      // require.resolve names a file (the worker's workflow bundle) without loading it here.
      if ((isImport || isRequire) && !isResolve) add(node.arguments[0], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** Circles among imports (types count too: a circle is a knot for the reader either way), each as the list of files around it (Tarjan's strongly connected components). */
export function circles(edges: ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (next.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) connect(v);
  return found;
}

describe('imports between the top-level folders', () => {
  const edges = sourceFiles().flatMap(importsOf);

  it('are read from every folder of the engine (the check sees the imports it judges)', () => {
    expect(edges.length).toBeGreaterThan(500);
    for (const folder of ['api', 'web', 'services', 'worker', 'workflows', 'activities', 'templates', 'db', 'domain']) {
      expect(edges.some((e) => e.from.startsWith(`${folder}/`))).toBe(true);
    }
  });

  it('run one way, down to domain/: no file imports a folder above its own or a sibling', () => {
    const wrong = edges.flatMap((e) => {
      const why = violation(e);
      return why ? [`${e.from} -> ${e.to}${e.typeOnly ? ' (types)' : ''}: ${why}`] : [];
    });
    expect(wrong).toEqual([]);
  });

  it('form no circle', () => {
    expect(circles(edges)).toEqual([]);
  });

  it('meet between workflows/ and activities/ in a contracts module that holds types only', () => {
    const file = 'workflows/contracts.ts';
    const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.ES2022, true);
    const values = source.statements.filter(
      (s) => !ts.isInterfaceDeclaration(s) && !ts.isTypeAliasDeclaration(s) && !(ts.isImportDeclaration(s) && s.importClause?.isTypeOnly),
    );
    expect(values.map((s) => s.getText().slice(0, 60))).toEqual([]);
    expect(edges.filter((e) => e.to === file).every((e) => e.typeOnly)).toBe(true);
  });

  it('leave the API process without activity code: of the worker it loads the payload codec, of the workflows their message definitions', () => {
    const loaded = new Set<string>();
    const visit = (file: string): void => {
      if (loaded.has(file)) return;
      loaded.add(file);
      for (const e of edges) if (e.from === file && !e.typeOnly) visit(e.to);
    };
    visit('api/main.ts');
    expect(loaded.size).toBeGreaterThan(50);
    expect([...loaded].filter((f) => f.startsWith('activities/'))).toEqual([]);
    // The client encrypts what it sends to Temporal with the same codec as the worker.
    expect([...loaded].filter((f) => f.startsWith('worker/'))).toEqual(['worker/payload-codec.ts']);
    expect([...loaded].filter((f) => f.startsWith('workflows/'))).toEqual(['workflows/messages.ts']);
  });

  it('the rules themselves refuse an upward import, a sibling import and a circle', () => {
    expect(violation({ from: 'domain/deadline.ts', to: 'db/tables/register.ts', typeOnly: true })).not.toBeNull();
    expect(violation({ from: 'db/repositories/requests.ts', to: 'activities/index.ts', typeOnly: false })).not.toBeNull();
    expect(violation({ from: 'api/routes/public.ts', to: 'web/routes.ts', typeOnly: false })).not.toBeNull();
    expect(violation({ from: 'activities/letters.ts', to: 'workflows/request.ts', typeOnly: false })).not.toBeNull();
    expect(violation({ from: 'workflows/request.ts', to: 'templates/index.ts', typeOnly: false })).not.toBeNull();
    expect(violation({ from: 'workflows/activities.ts', to: 'activities/index.ts', typeOnly: true })).toBeNull();
    expect(violation({ from: 'activities/letters.ts', to: 'workflows/contracts.ts', typeOnly: true })).toBeNull();
    expect(violation({ from: 'workflows/steps/shared.ts', to: 'activities/types.ts', typeOnly: true })).not.toBeNull();
    expect(violation({ from: 'templates/types.ts', to: 'workflows/contracts.ts', typeOnly: true })).not.toBeNull();
    expect(violation({ from: 'contracts/messages.ts', to: 'domain/request.ts', typeOnly: true })).not.toBeNull();
    expect(violation({ from: 'services/intake.ts', to: 'db/repositories/requests.ts', typeOnly: false })).toBeNull();
    expect(circles([
      { from: 'db/a.ts', to: 'db/b.ts', typeOnly: false },
      { from: 'db/b.ts', to: 'db/a.ts', typeOnly: false },
    ])).toEqual([['db/a.ts', 'db/b.ts']]);
    expect(circles([
      { from: 'db/a.ts', to: 'db/b.ts', typeOnly: false },
      { from: 'db/b.ts', to: 'db/c.ts', typeOnly: false },
    ])).toEqual([]);
  });
});
