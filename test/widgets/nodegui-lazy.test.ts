/**
 * NodeGui's addon as `make` builds it (tools/nodegui-lazy.js): each class it exports is
 * defined the first time it is read, is then the class its name says, and stays the same
 * object; an object Qt hands back is wrapped as its own class, defined then; the classes
 * other classes' C++ code constructs (QVariant, QSize…) are there from the start. Loaded in a child process on Qt's offscreen platform (the addon creates
 * Qt's application object).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers/process.js';

interface Report {
  readonly keys: number;
  readonly lazyBefore: string[];
  readonly wrong: string[];
  readonly sameTwice: boolean;
  readonly dataAfter: boolean;
  readonly eager: Record<string, boolean>;
  readonly heapGrowthBytes: number;
  readonly clipboardWrapped: boolean;
}

test('NodeGui classes are defined on first use, each the class it names, once, also when Qt hands back an object of one; value classes are there from the start', () => {
  const runtime = path.join(REPO_ROOT, 'native/build/Release/swarmpress_qt_runtime.node');
  const addon = path.join(REPO_ROOT, 'node_modules/@nodegui/nodegui/build/Release/nodegui_core.node');
  const script = `
    const os = require('node:os');
    process.dlopen({ exports: {} }, ${JSON.stringify(runtime)}, os.constants.dlopen.RTLD_NOW | os.constants.dlopen.RTLD_GLOBAL);
    global.gc();
    const before = process.memoryUsage().heapUsed;
    const qt = require(${JSON.stringify(addon)});
    global.gc();
    const heapGrowthBytes = process.memoryUsage().heapUsed - before;
    const keys = Object.keys(qt);
    const lazyBefore = keys.filter((key) => typeof Object.getOwnPropertyDescriptor(qt, key).get === 'function');
    const eager = Object.fromEntries(['QVariant', 'QSize', 'QRect', 'QIcon', 'QWidget'].map((key) => [key, 'value' in Object.getOwnPropertyDescriptor(qt, key)]));
    // A QObject that Qt hands back, of a class not defined yet, is wrapped as its own class
    // (through WrapperCache), not as a base class: the clipboard.
    const clipboardLazy = typeof Object.getOwnPropertyDescriptor(qt, 'QClipboard').get === 'function';
    const clipboard = qt.QApplication.clipboard();
    clipboard.setText('handed back', 0);
    const clipboardWrapped = clipboardLazy && typeof clipboard.text === 'function' && clipboard.text(0) === 'handed back' && 'value' in Object.getOwnPropertyDescriptor(qt, 'QClipboard');
    const first = qt.QLabel;
    const sameTwice = first === qt.QLabel && first === Object.getOwnPropertyDescriptor(qt, 'QLabel').value;
    const wrong = lazyBefore.filter((key) => typeof qt[key] !== 'function' || qt[key].name !== key);
    const dataAfter = keys.every((key) => 'value' in Object.getOwnPropertyDescriptor(qt, key));
    // A class defined late works: a widget of it is made and answers, with a value of an
    // eager class (a QVariant, made by QLabel's C++ code).
    const label = new qt.QLabel();
    label.setProperty('text', 'defined on first use');
    if (label.property('text').toString() !== 'defined on first use') throw new Error('a QLabel made after the lazy definition did not keep its text');
    console.log(JSON.stringify({ keys: keys.length, lazyBefore, wrong, sameTwice, dataAfter, eager, heapGrowthBytes, clipboardWrapped }));
  `;
  const output = execFileSync(process.execPath, ['--expose-gc', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, QT_QPA_PLATFORM: 'offscreen' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const report = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as Report;
  assert.ok(report.lazyBefore.length >= 80, `${report.lazyBefore.length} of ${report.keys} exports defined on first use`);
  assert.ok(report.lazyBefore.includes('QLabel') && report.lazyBefore.includes('QMainWindow') && report.lazyBefore.includes('QScrollArea'));
  assert.deepEqual(report.wrong, [], 'exports that are not the class they name');
  assert.equal(report.sameTwice, true, 'a class read twice is the same object');
  assert.equal(report.clipboardWrapped, true, 'the clipboard Qt handed back was wrapped as a QClipboard, its class defined then');
  assert.equal(report.dataAfter, true, 'every export is a plain value once read');
  assert.deepEqual(report.eager, { QVariant: true, QSize: true, QRect: true, QIcon: true, QWidget: true });
  // Defining all ~120 classes at once took 6.4 MB of heap; the eager ones take ~0.6 MB.
  assert.ok(report.heapGrowthBytes < 2 * 1024 * 1024, `loading the addon grew the heap by ${report.heapGrowthBytes} bytes`);
});
