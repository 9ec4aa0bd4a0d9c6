/**
 * Checks on the sources that keep the page within the app's strict CSP and its architecture:
 * no inline styles or style props, no eval or string-built functions, no raw HTML injection,
 * no remote resources, `@tauri-apps` imported by src/ipc.ts only, no import cycles, and each
 * folder importing only from the layers below it (widgets never import screens).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import madge from 'madge';
import { describe, expect, it } from 'vitest';

const root = dirname(fileURLToPath(import.meta.url));
const uiRoot = join(root, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'bindings' ? [] : files(p);
    return /\.(tsx?|css)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}

const sources = files(root).map((p) => ({ path: relative(root, p), text: readFileSync(p, 'utf8') }));
const app = sources.filter((s) => !s.path.startsWith('dev/'));

describe('CSP-safe sources', () => {
  it('use no style attributes or props', () => {
    for (const s of sources.filter((x) => x.path.endsWith('.tsx'))) {
      expect(s.text, s.path).not.toMatch(/\sstyle=/);
    }
  });
  it('use no eval, Function constructor, string timers or raw HTML', () => {
    for (const s of app) {
      expect(s.text, s.path).not.toMatch(/\beval\(|new Function\(|dangerouslySetInnerHTML|\.innerHTML\s*=|setTimeout\(\s*['"`]/);
    }
  });
  it('load nothing remote (fonts, scripts, styles)', () => {
    for (const s of app) {
      expect(s.text, s.path).not.toMatch(/@import\s+url\(|url\(\s*['"]?https?:|<script[^>]+src=["']https?:/);
    }
    for (const html of ['index.html', 'mock.html']) {
      const text = readFileSync(join(uiRoot, html), 'utf8');
      expect(text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
      expect(text).not.toMatch(/\sstyle=|<style/);
      expect(text).not.toMatch(/https?:\/\//);
    }
  });
  it('index.html does not pull in the dev mock', () => {
    expect(readFileSync(join(uiRoot, 'index.html'), 'utf8')).not.toMatch(/dev\//);
  });
});

describe('architecture', () => {
  it('only src/ipc.ts imports @tauri-apps (dev mocks aside)', () => {
    const importers = app.filter((s) => /from ['"]@tauri-apps\//.test(s.text)).map((s) => s.path);
    expect(importers).toEqual(['ipc.ts']);
  });
  it('nothing outside src/ipc.ts calls invoke', () => {
    for (const s of app.filter((x) => x.path !== 'ipc.ts')) expect(s.text, s.path).not.toMatch(/\binvoke\(/);
  });
  it('components never branch on error messages', () => {
    for (const s of app) expect(s.text, s.path).not.toMatch(/\.message\s*(===|!==|\.includes|\.startsWith|\.match)/);
  });
});

/** The import graph of the page's modules (tests left out), keyed by path under src/. */
async function importGraph(dir: string): Promise<Awaited<ReturnType<typeof madge>>> {
  return madge(dir, {
    fileExtensions: ['ts', 'tsx'],
    excludeRegExp: [/\.test\.tsx?$/],
    // Type-only imports count too: a cycle through types still ties the folders together.
    detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
  });
}

/**
 * The layers, lowest first. A module may import from its own layer or a lower one, never from a
 * higher one: the frame (app/) sits on the screens, the screens on forms, fields and widgets,
 * and the widgets (reusable building blocks) on state only.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['bindings', 'types.ts', 'styles'],
  ['ipc.ts'],
  ['state'],
  ['widgets'],
  ['fields'],
  ['forms'],
  ['screens'],
  ['app'],
  ['main.tsx'],
  ['dev'],
];

function layerOf(path: string): number {
  const top = path.split('/')[0]!;
  const layer = LAYERS.findIndex((names) => names.includes(top));
  if (layer < 0) throw new Error(`${path} is in no layer: add its folder to LAYERS`);
  return layer;
}

describe('import structure', () => {
  it('finds a cycle when there is one (the check itself works on .ts and .tsx)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyb-cycle-'));
    try {
      writeFileSync(join(dir, 'a.ts'), "import { b } from './b';\nexport const a = () => b;\n");
      writeFileSync(join(dir, 'b.tsx'), "import { a } from './a';\nexport const b = () => <p>{String(a)}</p>;\n");
      expect((await importGraph(dir)).circular()).toEqual([['a.ts', 'b.tsx']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const source = importGraph(root);

  it('has no import cycle among src modules', async () => {
    const graph = await source;
    // The graph is really read: the frame imports its screens.
    expect(graph.obj()['app/App.tsx']).toContain('screens/CustomerEditor.tsx');
    expect(graph.circular()).toEqual([]);
  });

  it('imports only from the same or a lower layer (widgets never import screens)', async () => {
    const edges = Object.entries((await source).obj()).flatMap(([from, tos]) => tos.map((to) => ({ from, to })));
    const upward = edges.filter(({ from, to }) => layerOf(to) > layerOf(from)).map(({ from, to }) => `${from} -> ${to}`);
    expect(upward).toEqual([]);
    const fromWidgets = edges.filter(({ from }) => from.startsWith('widgets/'));
    expect(fromWidgets.length).toBeGreaterThan(0);
    expect(fromWidgets.filter(({ to }) => /^(screens|forms|fields|app)\//.test(to))).toEqual([]);
  });
});
