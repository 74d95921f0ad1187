// Generates parse golden data from the real Serverless v3.40.0 parser.
const parse = require(process.env.HOME + '/.cache/serverless-v3-oracle/node_modules/serverless/lib/configuration/variables/parse.js');
const fixed = [
  '', 'plain', '${self:a}', 'x${self:a}y', '${self:a}${self:b}', '${AWS::Region}', 'arn:${AWS::Partition}:s3:::${self:custom.b}',
  '${MyResource.Arn}', '${foo}', '${foo:bar}', '${self:custom.${sls:stage}.arn}', '${self:${self:${self:a}}}',
  '\\${self:a}', '\\\\${self:a}', '\\\\\\${self:a}', 'a\\b${self:a}', '$${self:a}', '$$', '${', '${self:a', '${self:a,',
  '${self:a, b}', '${self:a, "x"}', "${self:a, 'x'}", '${self:a, 12}', '${self:a, true}', '${self:a, null}', '${self:a, false}',
  '${self:a, 0x10}', '${self:a, 1e3}', '${self:a, -5}', '${self:a, Infinity}', '${self:a, foo bar}', '${self:a, "x", 12}',
  '${self:a, opt:b, env:C, "d"}', '${strToBool(false)}', '${strToBool(0)}', '${strToBool(true)}', '${strToBool(1)}',
  "${strToBool('false')}", '${strToBool()}', '${strToBool(,)}', '${strToBool(a,,b)}', '${file(./a.yml)}', '${file(./a.yml):b.c}',
  '${file( ./a.yml ):b}', '${file("./a b.yml"):c}', '${file(${self:p}):x}', '${file(x${self:p}y)}', '${cf(us-east-1):stack.out}',
  '${ssm(raw, eu-west-1):/a/b}', '${s3:bucket/key}', '${self:}', '${opt:}', '${self::}', '${self:a:b}', '${self:"quoted"}',
  "${self:'quoted'}", '${self:"unterminated}', '${self:"bad\\q"}', '${self:"\\u0041"}', '${file(a)b}', '${file(a) : b}',
  '${ self:a}', '${self :a}', '${Self:a}', '${self_x:a}', '${s3-x:a}', '${1:a}', '${self:a}}', '{${self:a}}', '${self:${AWS::Region}}',
  '${AWS::${self:a}}', '${env:A}-${env:B}', 'café ${self:a} ü', '${self:é}', 'é${self:a, "ü"}', '${self:a, "\\"}"}',
  '${self:${foo}}', '${self:a${foo}}', '${file($x)}', '${file(a${foo}b)}', '${sls:stage}', '${aws:region}', '${param:x}',
  '${self:a, ${self:b}}', '${self:a, ${self:b, "c"}}', '${self:a ,b}', '${a,b}', '${a b}', '${ab', '${a(}', '${a(b}', '${a(b)c}',
  '${a(b):}', '${a(b),c}', '${a:b, c(d)}', '${a:b, c:d:e}', '\\${a:b}${c:d}', '\\$', '\\${', '\\${a', '${a:b}\\', '\\\\',
  '${self:a}\\${self:b}', '${self:a, \'\'}', '${self:a, ""}', '${file("x"  )}', "${file('x'  )}", "${file('x' y)}",
  '${file(\'x\'):\'y\'}', '${file(1, 2):3}', '${file(1.5e2)}', '${file(true)}', '${file(null)}', '${x${y}}', '$${{}}',
  '${self:custom.${self:${sls:stage}}.z, "d"}', '${self:a, ${env:X, ${opt:y}}, "lit"}',
];
function rnd(seed) { let s = seed; return () => { s = (s * 1103515245 + 12345) & 0x7fffffff; return s / 0x7fffffff; }; }
const r = rnd(42);
const atoms = ['${', '}', '$', '{', '(', ')', ':', ',', ' ', "'", '"', '\\', 'self', 'a', 'b', '.', 'file', 'x1', 'A', '-', 'é', 'env', ':', '${self:', '${file(', '0', 'true'];
const random = [];
for (let i = 0; i < 2500; i++) {
  let s = '';
  const n = 1 + Math.floor(r() * 12);
  for (let j = 0; j < n; j++) s += atoms[Math.floor(r() * atoms.length)];
  random.push(s);
}
const out = [];
for (const input of fixed.concat(random)) {
  try { out.push({ input, result: parse(input) }); }
  catch (e) { out.push({ input, error: e.message }); }
}
process.stdout.write(JSON.stringify(out, null, 0).replace(/\},\{"input"/g, '},\n{"input"') + '\n');
