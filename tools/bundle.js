// Bundles the compiled program (dist/src, from tsc) for start-up time: loading ~120 ES
// modules of our own and of pure-JS packages, and NodeGui's ~240 CommonJS files, took
// ~190 ms and ~150 ms of a ~550 ms start to the first paint (measured on the 2-core dev
// machine); one file each loads in a fraction of that. tsc stays the compiler and
// the tests import dist/src directly; only `bin/swarmpress.js` runs the bundle.
//
//   dist/bundle/app/swarmpress.cjs   the program (entry: dist/src/app/main.js), CommonJS
//   *.cjs.v8cache                    V8's code cache of each CommonJS bundle
//   dist/bundle/app/parse-worker.js  the layout worker thread it starts
//   dist/bundle/app/launch.cjs       what bin/swarmpress.js needs before the program
//   dist/bundle/app/package.json     says that the .js files beside it are CommonJS
//   dist/vendor/nodegui.cjs          NodeGui's JavaScript, the part swarmpress uses (its addon
//                                    stays where npm put it)
//   dist/bundle/app/preload.json     the files bin/swarmpress.js has read ahead for the window
//
// The program's bundle sits at the same depth as dist/src/app, so that its paths relative
// to import.meta.url (assets, package.json, native/build) resolve as they do unbundled.
// Packages with native addons stay external: better-sqlite3, and NodeGui, which the Qt
// runtime loads itself (src/widgets/qt-runtime.ts).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (...parts) => path.join(root, ...parts);

// V8 keeps each file's source as a string for as long as the program runs: without
// comments and whitespace, and in ASCII (one byte per character instead of two), the two
// files took 3.3 MB of heap less (measured in a heap snapshot). Names are kept, so stack
// traces still read.
const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', legalComments: 'none', charset: 'ascii', minifyWhitespace: true, minifySyntax: true };

/**
 * NodeGui's JavaScript for the names swarmpress uses (src/render/nodegui-subset.ts says
 * why): each name required from the file NodeGui's index takes it from, after the
 * bootstrap its index runs first. A name the index does not list fails the build.
 */
const { NODEGUI_NAMES } = await import(pathToFileURL(at('dist/src/render/nodegui-subset.js')).href);
function nodeguiEntry() {
  const dir = at('node_modules/@nodegui/nodegui/dist');
  const index = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
  const bootstrap = 'require("./lib/core/bootstrap");';
  if (!index.includes(bootstrap)) throw new Error("NodeGui's index no longer runs ./lib/core/bootstrap first: tools/bundle.js must learn its new shape");
  const modules = new Map([...index.matchAll(/var (\w+) = require\("([^"]+)"\);/g)].map(([, name, file]) => [name, file]));
  const exported = new Map([...index.matchAll(/Object\.defineProperty\(exports, "(\w+)", \{ enumerable: true, get: function \(\) \{ return (\w+)\.(\w+); \} \}\);/g)].map(([, name, module, member]) => [name, { file: modules.get(module), member }]));
  const lines = [bootstrap];
  for (const name of NODEGUI_NAMES) {
    // Enums come in through the index's export of ./lib/QtEnums, one folder each.
    const from = exported.get(name) ?? (fs.existsSync(path.join(dir, 'lib/QtEnums', name, 'index.js')) ? { file: `./lib/QtEnums/${name}`, member: name } : undefined);
    if (from?.file === undefined) throw new Error(`NodeGui exports no '${name}' (src/render/nodegui-subset.ts lists it)`);
    lines.push(`exports.${name} = require(${JSON.stringify(from.file)}).${from.member};`);
  }
  return `${lines.join('\n')}\n`;
}

await Promise.all([
  // The program as CommonJS, so that it can load with a V8 code cache (Node 20 takes none
  // for ES modules): import.meta.url becomes the bundle's own file URL.
  esbuild.build({
    ...common,
    entryPoints: [at('dist/src/app/main.js')],
    outfile: at('dist/bundle/app/swarmpress.cjs'),
    format: 'cjs',
    external: ['better-sqlite3', '@nodegui/nodegui'],
    define: { 'import.meta.url': 'swarmpressImportMetaUrl' },
    banner: { js: "var swarmpressImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  }),
  // The layout worker, CommonJS too (dist/bundle/app/package.json, written below), under
  // the name the program starts it by.
  esbuild.build({
    ...common,
    entryPoints: [at('dist/src/render/parse-worker.js')],
    outfile: at('dist/bundle/app/parse-worker.js'),
    format: 'cjs',
    external: ['better-sqlite3', '@nodegui/nodegui'],
    define: { 'import.meta.url': 'swarmpressImportMetaUrl' },
    banner: { js: "var swarmpressImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  }),
  // What bin/swarmpress.js needs before it loads the program, as CommonJS: it loads no ES
  // module, and so Node never loads its ES module loader (bin/swarmpress.js says why).
  esbuild.build({
    ...common,
    stdin: {
      contents: "export { opensWindow } from './app/command-words.js';\nexport { requireWithCodeCache } from './widgets/code-cache.js';\n",
      resolveDir: at('dist/src'),
      sourcefile: 'launch.js',
      loader: 'js',
    },
    outfile: at('dist/bundle/app/launch.cjs'),
    format: 'cjs',
  }),
  esbuild.build({
    ...common,
    stdin: { contents: nodeguiEntry(), resolveDir: at('node_modules/@nodegui/nodegui/dist'), sourcefile: 'nodegui-subset.cjs', loader: 'js' },
    outfile: at('dist/vendor/nodegui.cjs'),
    format: 'cjs',
    plugins: [
      {
        name: 'nodegui-addon',
        setup(build) {
          // The addon is loaded from npm's copy, relative to dist/vendor/.
          build.onResolve({ filter: /nodegui_core\.node$/ }, () => ({ path: '../../node_modules/@nodegui/nodegui/build/Release/nodegui_core.node', external: true }));
          // NodeGui runs every style sheet through postcss with its autoprefixer, which copies
          // layout properties (padding, width, border...) to its flex layout's Qt properties
          // and leaves the sheet's own declarations as they are. swarmpress lays out with Qt's
          // layouts and never NodeGui's flex layout, so that changes nothing it shows; postcss
          // and source-map were a third of this bundle (388 -> 262 KB), all evaluated at start
          // (V8's heap in use with the 1,000-post index open: ~0.3 MB less; measured). Here
          // postcss hands the sheet back as it came, and the program passes its sheets as
          // they are anyway (setStyleSheet(sheet, false)).
          build.onResolve({ filter: /^(postcss|postcss-nodegui-autoprefixer)$/ }, (args) => ({ path: args.path, namespace: 'replaced' }));
          build.onLoad({ filter: /^postcss$/, namespace: 'replaced' }, () => ({ contents: 'module.exports = () => ({ process: (css) => ({ css }) });', loader: 'js' }));
          build.onLoad({ filter: /^postcss-nodegui-autoprefixer$/, namespace: 'replaced' }, () => ({ contents: 'exports.__esModule = true; exports.default = () => undefined;', loader: 'js' }));
        },
      },
    ],
  }),
]);

// esbuild gives each default or namespace import of a CommonJS module (`import fs from
// 'node:fs'`) a namespace object of its own, with a getter closure for every name the
// module exports (__toESM): the program's 60 such imports made 3,508 closures, each with
// its context and accessor pair, for as long as it runs (found in a heap snapshot of the
// window; V8's heap in use with the 1,000-post index open, idle: 11.7 -> 10.7 MB). Here
// the namespace is an object whose prototype is the module instead: the same names, read
// through the prototype, and as live as the getters were. Nothing in the program
// enumerates an imported namespace, nor re-exports one (esbuild's __reExport).
const TO_ESM = /var __toESM=\((\w+),isNodeMode,target\)=>\(target=\1!=null\?__create\(__getProtoOf\(\1\)\):\{\},__copyProps\(isNodeMode\|\|!\1\|\|!\1\.__esModule\?__defProp\(target,"default",\{value:\1,enumerable:!0\}\):target,\1\)\)/;
const LEAN_TO_ESM = 'var __toESM=(mod,isNodeMode)=>mod!=null&&(typeof mod=="object"||typeof mod=="function")?!isNodeMode&&mod.__esModule?mod:__create(mod,{default:{value:mod,enumerable:!0}}):{default:mod}';
for (const file of [at('dist/bundle/app/swarmpress.cjs'), at('dist/bundle/app/parse-worker.js'), at('dist/bundle/app/launch.cjs')]) {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes('__toESM(')) continue;
  if (text.includes('__reExport')) throw new Error(`${file} re-exports a namespace: tools/bundle.js cannot make its namespaces lean`);
  if (!TO_ESM.test(text)) throw new Error(`esbuild's __toESM in ${file} is no longer the one tools/bundle.js knows: check its new shape`);
  fs.writeFileSync(file, text.replace(TO_ESM, LEAN_TO_ESM));
}

// Every .js file of the bundle is CommonJS, whatever the package's own type.
fs.writeFileSync(at('dist/bundle/app/package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);

// V8 code caches of the two CommonJS bundles (src/widgets/code-cache.ts).
const { writeCodeCache } = await import(pathToFileURL(at('dist/src/widgets/code-cache.js')).href);
for (const file of [at('dist/bundle/app/swarmpress.cjs'), at('dist/vendor/nodegui.cjs')]) writeCodeCache(file);

// What the window reads ahead on a cold start (native/src/preload/preload.cpp says why):
// SQLite's addon (the stored page is read first), NodeGui's addon and the large libraries
// it links (Qt, ICU), in the order the dynamic loader maps them. Not the libraries Node itself links (in memory before any of this
// runs), nor ICU's 31 MB data file, of which Qt touches a few pages. Smaller libraries
// were left out: reading them too slowed Node's own start more than it saved (measured).
const NODEGUI_ADDON = at('node_modules/@nodegui/nodegui/build/Release/nodegui_core.node');
const SQLITE_ADDON = at('node_modules/better-sqlite3/build/Release/better_sqlite3.node');
const linked = (file) => [...execFileSync('ldd', [file], { encoding: 'utf8' }).matchAll(/=> (\/\S+)/g)].map((match) => match[1]);
const nodeLinks = new Set(linked(process.execPath));
const MIN_BYTES = 2 * 1024 * 1024;
const MAX_BYTES = 16 * 1024 * 1024;
const libraries = linked(NODEGUI_ADDON).filter((file) => {
  const size = fs.statSync(file).size;
  return !nodeLinks.has(file) && size >= MIN_BYTES && size <= MAX_BYTES;
});
// Paths inside the repository are kept relative to it (bin/swarmpress.js resolves them).
fs.writeFileSync(at('dist/bundle/app/preload.json'), `${JSON.stringify([path.relative(root, SQLITE_ADDON), ...libraries, path.relative(root, NODEGUI_ADDON)], null, 1)}\n`);
