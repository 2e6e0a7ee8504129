// Makes NodeGui's addon define its classes on first use (run by `make` before NodeGui is
// compiled; idempotent).
//
// NodeGui's module init defines all of its ~120 classes at once: ~9,400 methods, each a
// V8 FunctionTemplate with its prototype, whether the program ever uses the class or not.
// That took 6.4 MB of V8 heap and ~25 ms of every start (measured: the addon loaded alone,
// heap after a full collection); swarmpress uses about a fifth of those classes.
//
// This rewrites NodeGui's init function (src/cpp/main.cpp) so that each `Name` export is a
// getter that defines the class the first time it is read, then replaces itself with the
// class. Two ways NodeGui's C++ reaches a class without reading its export are covered:
// - A class whose constructor another class's code calls (QVariant, QSize, QIcon…: values
//   that methods of other classes return) stays defined at start. They are found by
//   scanning NodeGui's sources for `<Name>Wrap::constructor` outside the class's own file.
// - A QObject that Qt hands back (QApplication.clipboard(), a widget's parent…) is wrapped
//   through WrapperCache, by the wrapper its class registered when it was defined. Every
//   lazy class's wrapper is registered at start instead, and defines the class first; its
//   own registration replaces that one when it runs. WrapperCache calls a copy of the
//   wrapper function, since the call replaces the entry it came from (one line of
//   src/cpp/include/nodegui/core/WrapperCache/wrappercache.h changes for that).
// Kept eager as well: inits that export something other than the one class their name
// says (NUtils, QStyleFactory's functions), and any init not named
// `<Name>Wrap`. Nothing else of NodeGui changes.
//
// NodeGui's own files are kept beside them (*.nodegui-original), and each rewrite starts
// from those: a change of this script takes effect without reinstalling NodeGui.
// test/widgets/nodegui-lazy.test.ts checks the built addon.
import fs from 'node:fs';
import path from 'node:path';

const MARKER = '// swarmpress: classes defined on first use (tools/nodegui-lazy.js)';
const EAGER = new Set(['NUtilsWrap', 'QStyleFactoryWrap']);

const packageDir = process.argv[2];
if (packageDir === undefined) {
  console.error('usage: node tools/nodegui-lazy.js <the @nodegui/nodegui package folder>');
  process.exit(2);
}
const sourceDir = path.join(packageDir, 'src/cpp');
const mainFile = path.join(sourceDir, 'main.cpp');
const cacheFile = path.join(sourceDir, 'include/nodegui/core/WrapperCache/wrappercache.h');

function fail(message) {
  console.error(`tools/nodegui-lazy.js: ${message}; this NodeGui version is not one the script knows`);
  process.exit(1);
}

/** NodeGui's own text of `file`, saved beside it the first time. */
function pristine(file) {
  const original = `${file}.nodegui-original`;
  if (!fs.existsSync(original)) {
    const current = fs.readFileSync(file, 'utf8');
    if (current.includes(MARKER)) {
      console.error(`${file} was rewritten before, and NodeGui's own file is gone: reinstall NodeGui (rm -rf node_modules .stamps/npm; make)`);
      process.exit(1);
    }
    fs.writeFileSync(original, current);
  }
  return fs.readFileSync(original, 'utf8');
}

/** Writes `text` unless the file has it already (the compiler would rebuild for nothing). */
function write(file, text) {
  if (fs.readFileSync(file, 'utf8') !== text) fs.writeFileSync(file, text);
}

// What NodeGui's own sources say (the two files this rewrites, as NodeGui wrote them):
// which classes other files construct, and which Qt type each class's wrapper is for.
const files = fs.readdirSync(sourceDir, { recursive: true }).map((name) => path.join(sourceDir, String(name))).filter((name) => /\.(cpp|h)$/.test(name));
const users = new Map();
const owners = new Map();
const registered = new Map();
for (const name of files) {
  const text = name === mainFile || name === cacheFile ? pristine(name) : fs.readFileSync(name, 'utf8');
  for (const [, wrap] of text.matchAll(/\b(\w+Wrap)::constructor\b/g)) {
    if (!users.has(wrap)) users.set(wrap, new Set());
    users.get(wrap).add(name);
  }
  for (const [, wrap] of text.matchAll(/FunctionReference\s+(\w+Wrap)::constructor\s*;/g)) owners.set(wrap, name);
  for (const [, qtType, wrap] of text.matchAll(/QOBJECT_REGISTER_WRAPPER\(\s*(\w+)\s*,\s*(\w+)\s*\)/g)) {
    if (qtType !== 'qobjectType') registered.set(wrap, qtType);
  }
}
const shared = new Set([...users].filter(([wrap, where]) => [...where].some((name) => name !== owners.get(wrap))).map(([wrap]) => wrap));
if (shared.size === 0 || registered.size === 0) fail("no constructor uses or wrapper registrations found in NodeGui's sources");

// WrapperCache: call a copy of the wrapper function.
const cache = pristine(cacheFile);
const call = '        Napi::Object wrapper = this->wrapperRegistry[className](env, qobject);\n';
if (!cache.includes(call)) fail(`${cacheFile}: the wrapper call was not found`);
write(cacheFile, cache.replace(call, `        ${MARKER}: a copy, as the call may replace the entry\n        WrapFunc wrap = this->wrapperRegistry[className];\n        Napi::Object wrapper = wrap(env, qobject);\n`));

// main.cpp: the init function.
const source = pristine(mainFile);
const head = 'Napi::Object Main(Napi::Env env, Napi::Object exports) {\n';
const start = source.indexOf(head);
const end = start < 0 ? -1 : source.indexOf('\n  return exports;\n}\n', start);
if (start < 0 || end < 0) fail(`${mainFile}: NodeGui's init function (Main) was not found`);
const eager = [];
const lazy = [];
for (const line of source.slice(start + head.length, end).split('\n')) {
  const init = /^\s*(\w+)::init\(env, exports\);\s*$/.exec(line);
  if (init === null) {
    if (line.trim() !== '' && !line.trim().startsWith('//')) eager.push(line);
    continue;
  }
  const wrap = init[1];
  if (EAGER.has(wrap) || shared.has(wrap) || !wrap.endsWith('Wrap')) eager.push(line);
  else lazy.push({ wrap, name: wrap.slice(0, -'Wrap'.length), qtType: registered.get(wrap) });
}
if (lazy.length === 0) fail(`${mainFile}: no class inits found in Main`);

// Some inits return the exports, some return nothing: each is called through a lambda.
const table = lazy.map(({ wrap, name }) => `    {"${name}", [](Napi::Env env, Napi::Object target) { ${wrap}::init(env, target); }},`).join('\n');
const wrappers = lazy
  .filter(({ qtType }) => qtType !== undefined)
  .map(({ wrap, name, qtType }) => `  WrapperCache::instance.registerWrapper(QString("${qtType}"), [](Napi::Env env, QObject* qobject) -> Napi::Object {
    swarmpress_lazy::ensure(env, "${name}");
    return ${wrap}::constructor.New({Napi::External<QObject>::New(env, dynamic_cast<${qtType}*>(qobject))});
  });`)
  .join('\n');
const rewritten = `${MARKER}
namespace swarmpress_lazy {
struct LazyClass {
  const char* name;
  void (*init)(Napi::Env, Napi::Object);
};
const LazyClass kClasses[] = {
${table}
};
napi_ref exportsRef = nullptr;
// The getter of a class's export: defines the class, then puts it in the getter's place
// on the module's exports (whatever object the read went through), so it is defined once.
napi_value Define(napi_env env, napi_callback_info info) {
  void* data = nullptr;
  napi_value exports = nullptr;
  if (napi_get_cb_info(env, info, nullptr, nullptr, nullptr, &data) != napi_ok || napi_get_reference_value(env, exportsRef, &exports) != napi_ok) return nullptr;
  const LazyClass* entry = static_cast<const LazyClass*>(data);
  Napi::Env napiEnv(env);
  Napi::Object holder = Napi::Object::New(napiEnv);
  entry->init(napiEnv, holder);
  Napi::Value defined = holder.Get(entry->name);
  napi_property_descriptor value = {entry->name, nullptr, nullptr, nullptr, nullptr, defined, static_cast<napi_property_attributes>(napi_writable | napi_enumerable | napi_configurable), nullptr};
  napi_define_properties(env, exports, 1, &value);
  return defined;
}
// Defines class \`name\` unless it is already: reading its export does.
void ensure(Napi::Env env, const char* name) {
  napi_value exports = nullptr;
  napi_value value = nullptr;
  if (napi_get_reference_value(env, exportsRef, &exports) == napi_ok) napi_get_named_property(env, exports, name, &value);
}
}  // namespace swarmpress_lazy

${head}${eager.join('\n')}
  napi_create_reference(env, exports, 1, &swarmpress_lazy::exportsRef);
  for (const auto& entry : swarmpress_lazy::kClasses) {
    napi_property_descriptor getter = {entry.name, nullptr, nullptr, swarmpress_lazy::Define, nullptr, nullptr, static_cast<napi_property_attributes>(napi_enumerable | napi_configurable), const_cast<swarmpress_lazy::LazyClass*>(&entry)};
    if (napi_define_properties(env, exports, 1, &getter) != napi_ok) {
      Napi::Error::New(env, "NodeGui: a class could not be defined on first use").ThrowAsJavaScriptException();
      return exports;
    }
  }
${wrappers}`;
write(mainFile, source.slice(0, start) + rewritten + source.slice(end));
console.log(`NodeGui: ${lazy.length} classes defined on first use (${lazy.filter(({ qtType }) => qtType !== undefined).length} wrappers registered ahead), ${eager.length} init lines kept as they were`);
