// Generates testdata/diff/golden.json from the real Serverless v3.40.0 resolver
// (run with cwd = testdata/diff so file() paths resolve there).
const base = process.env.HOME + '/.cache/serverless-v3-oracle/node_modules/serverless/lib/configuration/variables/';
const resolveMeta = require(base + 'resolve-meta');
const resolve = require(base + 'resolve');
const sources = {
  env: require(base + 'sources/env'), file: require(base + 'sources/file'), opt: require(base + 'sources/opt'),
  self: require(base + 'sources/self'), strToBool: require(base + 'sources/str-to-bool'), sls: require(base + 'sources/instance-dependent/get-sls')(),
};
const env = { HOME: '/home/u', EMPTY: '', FLAG: 'false', NUM: '42', LOOP: '${env:LOOP}', SELFREF: '${self:custom.a}' };
(async () => {
  for (const k of Object.keys(process.env)) delete process.env[k];
  Object.assign(process.env, env);
  const configs = JSON.parse(require('fs').readFileSync('configs.json', 'utf8'));
  const out = [];
  for (const configuration of configs) {
    const input = JSON.parse(JSON.stringify(configuration));
    let variablesMeta;
    const errors = [];
    try {
      variablesMeta = resolveMeta(configuration);
      await resolve({ serviceDir: process.cwd(), configuration, variablesMeta, sources, options: {}, fulfilledSources: new Set(Object.keys(sources)) });
    } catch (e) { errors.push(e.message); }
    if (variablesMeta) for (const m of variablesMeta.values()) if (m.error && !errors.includes(m.error.message)) errors.push(m.error.message);
    out.push({ input, output: configuration, errors, unresolved: variablesMeta ? Array.from(variablesMeta.keys()).map((k) => k.split('\0').join('.')) : [] });
  }
  console.log(JSON.stringify(out, null, 1));
})();
