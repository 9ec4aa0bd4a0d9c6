/**
 * Checks on the sources that keep the page within the app's strict CSP and its architecture:
 * no inline styles or style props, no eval or string-built functions, no raw HTML injection,
 * no remote resources, and `@tauri-apps` imported by src/ipc.ts only.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
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
