/**
 * The renderer's widgets, offscreen in this process (Qt's offscreen platform): every
 * example renders and its dump holds the example's visible text; hostile pages render;
 * a long page becomes only a screenful of widgets; find, zoom and themes; screenshots of
 * the sample document compared with the references in test/render/screenshots/.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, test } from 'node:test';
import { Marked } from 'marked';
import { layoutDoc, type LayoutPlan } from '../../src/render/layout.js';
import { parseMarkdown } from '../../src/render/markdown.js';
import { PageView, type DumpNode } from '../../src/render/page-view.js';
import { PlanWorker } from '../../src/render/parse-off-thread.js';
import { folderSiteFiles } from '../../src/render/site-files.js';
import { loadQt } from '../../src/widgets/qt-runtime.js';
import { artifactPath } from '../helpers/artifacts.js';
import { summarisePng } from '../helpers/png.js';
import { REPO_ROOT } from '../helpers/process.js';
import { readFileSync } from 'node:fs';
import { EXAMPLES } from './examples.js';
import { pathologicalInputs } from './pathological.js';
import { checkScreenshot } from './screenshot.js';
import { isSubsequence, squeeze, visibleText } from './visible-text.js';

const loaded = loadQt({ platform: 'offscreen' });
const { qt } = loaded;
const worker = new PlanWorker();
after(() => {
  worker.close();
  loaded.stop();
});

function view(plan: LayoutPlan, width = 800, height = 600, options: Partial<ConstructorParameters<typeof PageView>[2]> = {}): PageView {
  const page = new PageView(qt, plan, { onLink: () => undefined, measureInBackground: false, ...options });
  page.widget.show();
  page.widget.resize(width, height);
  page.update();
  return page;
}

function dumpText(nodes: readonly DumpNode[]): string {
  return squeeze(nodes.map((node) => node.text).join('\n'));
}

const html = new Marked({ gfm: true, async: false });

test('every example renders without an exception and the dump holds all of its visible text', () => {
  for (const [index, example] of EXAMPLES.entries()) {
    const page = view(layoutDoc(parseMarkdown(example.markdown)));
    try {
      const expected = visibleText(html.parse(example.markdown) as string);
      const shown = dumpText(page.dump());
      assert.ok(isSubsequence(expected, shown), `example ${index} (${example.section}): ${JSON.stringify(example.markdown)}\nexpected ${expected}\nshown    ${shown}`);
    } finally {
      page.close();
      page.widget.delete();
    }
  }
});

test('the CommonMark spec examples (commonmark-spec package)', (t) => {
  let spec: { tests: readonly { markdown: string; html: string; number: number; section: string }[] } | undefined;
  try {
    spec = createRequire(import.meta.url)('commonmark-spec') as typeof spec;
  } catch {
    t.skip('commonmark-spec is not installed (issue #5: add it to devDependencies)');
    return;
  }
  for (const example of spec?.tests ?? []) {
    // The spec writes tabs as '→' in both fields (as CommonMark's spec_tests.py reads them).
    const markdown = example.markdown.replace(/→/g, '\t');
    const page = view(layoutDoc(parseMarkdown(markdown)));
    try {
      const shown = dumpText(page.dump());
      assert.ok(isSubsequence(visibleText(example.html.replace(/→/g, '\t')), shown), `example ${example.number} (${example.section})`);
    } finally {
      page.close();
      page.widget.delete();
    }
  }
});

for (const [name, source] of pathologicalInputs()) {
  test(`a hostile page renders without a crash: ${name}`, async () => {
    const plan = await worker.layout(source);
    const started = performance.now();
    const page = view(plan);
    try {
      assert.ok(page.liveBlocks > 0 && page.liveBlocks < 200, `live blocks ${page.liveBlocks}`);
      page.scrollTo(page.pageHeight);
      assert.ok(page.liveBlocks > 0 && page.liveBlocks < 200, `live blocks at the end ${page.liveBlocks}`);
      assert.ok(performance.now() - started < 3000, `showing took ${performance.now() - started} ms`);
    } finally {
      page.close();
      page.widget.delete();
    }
  });
}

/** A long page: ~1 MB of ordinary Markdown. */
function longDocument(bytes: number): string {
  let out = '';
  for (let i = 0; out.length < bytes; i++) {
    out += `## Section ${i}\n\nSome *emphasis* and **strong** text with a [link](page${i}.md) and \`code\`, more words to fill an ordinary paragraph of about two lines.\n\n- item one\n- item two\n\n`;
  }
  return out;
}

test('a 1 MB page becomes a screenful of widgets; scrolling recycles them; the background pass measures the rest', async () => {
  const plan = await worker.layout(longDocument(1_000_000));
  assert.ok(plan.blocks.length > 15_000);
  const state = { laidOut: false };
  const page = view(plan, 800, 600, {
    measureInBackground: true,
    onLaidOut: () => {
      state.laidOut = true;
    },
  });
  try {
    assert.ok(page.liveBlocks >= 10 && page.liveBlocks <= 80, `live blocks ${page.liveBlocks}`);
    const first = page.dump(false);
    assert.equal(first[0]?.text, 'Section 0');
    page.scrollTo(page.pageHeight / 2);
    assert.ok(page.liveBlocks <= 80, `live blocks after scrolling ${page.liveBlocks}`);
    page.scrollTo(page.pageHeight);
    const last = page.dump(false);
    assert.ok(last.some((node) => node.text.includes('item two')), 'the end of the page is shown');
    assert.ok(page.liveBlocks <= 80);
    const deadline = Date.now() + 60_000;
    while (!state.laidOut) {
      if (Date.now() > deadline) throw new Error('the background measuring did not finish within 60 s');
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(page.isLaidOut, true);
  } finally {
    page.close();
    page.widget.delete();
  }
});

test('find in page scrolls to each match and selects it; zoom and themes restyle the page', () => {
  const page = view(layoutDoc(parseMarkdown(longDocument(50_000))));
  try {
    assert.deepEqual(page.find('Section 1'), [1, 111]);
    assert.deepEqual(page.find('section 1'), [1, 111], 'a new query starts from the first match');
    assert.deepEqual(page.find('section 1'), [2, 111]);
    assert.deepEqual(page.find('section 1', true), [1, 111]);
    assert.deepEqual(page.find('nowhere'), [0, 0]);
    const match = page.find('section 250');
    assert.equal(match[1], 1);
    const shown = page.dump(false).find((node) => node.text === 'Section 250');
    assert.ok(shown !== undefined, 'the match is on screen');
    assert.equal(shown.style['selected'], 'Section 250', 'the match is selected');

    const h2Before = page.dump(false).find((node) => node.role === 'h2')?.style['fontPx'];
    page.setZoom(2);
    page.update();
    const h2After = page.dump(false).find((node) => node.role === 'h2')?.style['fontPx'];
    assert.equal(h2Before, 24);
    assert.equal(h2After, 48);
    page.setZoom(100);
    assert.equal(page.zoom, 3);
    page.setZoom(1);
    page.setTheme('dark');
    page.update();
    const file = artifactPath('render-dark-theme-probe.png');
    assert.ok(page.widget.grab().save(file, 'PNG'));
    const shot = summarisePng(file);
    assert.ok(shot.colours > 8, JSON.stringify(shot));
  } finally {
    page.close();
    page.widget.delete();
  }
});

const SAMPLE = path.join(REPO_ROOT, 'assets', 'sample', 'sample.md');

for (const theme of ['light', 'dark'] as const) {
  test(`screenshot of the sample document, ${theme} theme, matches the reference`, async () => {
    const plan = await worker.layout(readFileSync(SAMPLE, 'utf8'));
    const page = new PageView(qt, plan, { onLink: () => undefined, files: folderSiteFiles(path.dirname(SAMPLE), 'sample.md'), theme, measureInBackground: false });
    try {
      page.widget.show();
      page.fitToPage(800, 10_000);
      const kinds = new Set(page.dump(false).map((node) => node.role));
      for (const role of ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'paragraph', 'code', 'literal', 'rule', 'table', 'image', 'placeholder', 'media']) {
        assert.ok(kinds.has(role), `the sample shows a ${role}`);
      }
      const file = artifactPath(`render-sample-${theme}.png`);
      assert.ok(page.widget.grab().save(file, 'PNG'));
      checkScreenshot(file, `sample-${theme}.png`);
    } finally {
      page.close();
      page.widget.delete();
    }
  });
}
