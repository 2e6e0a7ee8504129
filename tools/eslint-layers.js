// ESLint rule: imports point downward only (DESIGN.md "Layers").
//   app > widgets > render > net > store > core
// `widgets` never imports `net` or `store`; `core` imports no Node built-ins (it does no I/O).
import { isBuiltin } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', 'src');
const RANK = { core: 0, store: 1, net: 2, render: 3, widgets: 4, app: 5 };
const FORBIDDEN = { widgets: ['net', 'store'], render: ['net', 'store'] };

function layerOf(file) {
  const rel = path.relative(ROOT, file);
  if (rel.startsWith('..')) return undefined;
  const top = rel.split(path.sep)[0];
  return top in RANK ? top : undefined;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'imports between src/ layers point downward only' },
    schema: [],
    messages: {
      upward: "'{{from}}' must not import from '{{to}}': layers point downward (app > widgets > render > net > store > core)",
      forbidden: "'{{from}}' must not import from '{{to}}' (DESIGN.md: the UI never talks to the network or the store)",
      builtin: "'core' is pure: it must not import the Node built-in '{{name}}' (pass I/O, time and randomness in)",
    },
  },
  create(context) {
    const file = context.filename;
    const from = layerOf(file);
    if (from === undefined) return {};
    function check(node, source) {
      if (typeof source !== 'string') return;
      // isBuiltin knows every built-in, bare ('crypto', 'path', 'fs/promises') or 'node:'-prefixed.
      if (from === 'core' && isBuiltin(source)) {
        context.report({ node, messageId: 'builtin', data: { name: source } });
        return;
      }
      if (!source.startsWith('.')) return;
      const to = layerOf(path.resolve(path.dirname(file), source));
      if (to === undefined || to === from) return;
      if ((FORBIDDEN[from] ?? []).includes(to)) context.report({ node, messageId: 'forbidden', data: { from, to } });
      else if (RANK[to] > RANK[from]) context.report({ node, messageId: 'upward', data: { from, to } });
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default { rules: { 'import-direction': rule } };
