package yamlsrc

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stream-events/stream-events/internal/benchsvc"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

// corpusDir holds the real serverless.yml files beside the checkout (see
// the root corpus_test.go); tests that read it skip what is absent.
const corpusDir = "../../../shared/corpus/real"

// fastInput is one document for the differential tests.
type fastInput struct {
	name string
	data []byte
}

// yamlFiles returns every YAML and JSON file under the project's testdata
// directories and the corpus, and the inputs of the fuzz seed corpora.
func yamlFiles(t testing.TB) []fastInput {
	var out []fastInput
	roots := []string{"../../testdata", "../../internal", corpusDir}
	for _, root := range roots {
		_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			if !strings.Contains(path, "testdata") && !strings.HasPrefix(path, corpusDir) {
				return nil
			}
			switch {
			case strings.Contains(path, string(filepath.Separator)+"fuzz"+string(filepath.Separator)):
				for i, in := range fuzzSeedInputs(path) {
					out = append(out, fastInput{fmt.Sprintf("%s#%d", path, i), in})
				}
			case strings.HasSuffix(path, ".yml"), strings.HasSuffix(path, ".yaml"), strings.HasSuffix(path, ".json"):
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, fastInput{path, data})
			}
			return nil
		})
	}
	return out
}

// readableYAML returns the inputs of yamlFiles, JSON left out, that the
// slow path reads without a finding: those the fast path should read too.
func readableYAML(t testing.TB) []fastInput {
	var out []fastInput
	for _, in := range yamlFiles(t) {
		if strings.HasSuffix(in.name, ".json") || !(&parser{}).checkEncoding(in.data) {
			continue
		}
		if _, fs := parseSlow("f.yml", in.data); len(fs) == 0 {
			out = append(out, in)
		}
	}
	return out
}

// fuzzSeedInputs reads the string and []byte arguments of a file of Go's
// fuzzing corpus format.
func fuzzSeedInputs(path string) [][]byte {
	data, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(data, []byte("go test fuzz v1")) {
		return nil
	}
	var out [][]byte
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		line := sc.Text()
		for _, prefix := range []string{"[]byte(", "string("} {
			if strings.HasPrefix(line, prefix) && strings.HasSuffix(line, ")") {
				if s, err := strconv.Unquote(line[len(prefix) : len(line)-1]); err == nil {
					out = append(out, []byte(s))
				}
			}
		}
	}
	return out
}

// diffNodes returns where a and b first differ, "" when they are equal.
func diffNodes(path string, a, b *node.Node) string {
	switch {
	case a == nil && b == nil:
		return ""
	case a == nil || b == nil:
		return fmt.Sprintf("%s: fast %v, slow %v", path, a, b)
	}
	at := fmt.Sprintf("%s (fast %v-%v, slow %v-%v)", path, a.Range.Start, a.Range.End, b.Range.Start, b.Range.End)
	switch {
	case a.Kind != b.Kind:
		return fmt.Sprintf("%s: kind %s, slow %s", at, a.Kind, b.Kind)
	case a.Range != b.Range:
		return fmt.Sprintf("%s: range differs", at)
	case a.Str != b.Str:
		return fmt.Sprintf("%s: string %q, slow %q", at, a.Str, b.Str)
	case a.Num != b.Num && !(math.IsNaN(a.Num) && math.IsNaN(b.Num)):
		return fmt.Sprintf("%s: number %v, slow %v", at, a.Num, b.Num)
	case a.Bool != b.Bool:
		return fmt.Sprintf("%s: bool %v, slow %v", at, a.Bool, b.Bool)
	case a.Tag != b.Tag:
		return fmt.Sprintf("%s: tag %q, slow %q", at, a.Tag, b.Tag)
	case a.Unresolved != b.Unresolved:
		return fmt.Sprintf("%s: unresolved %q, slow %q", at, a.Unresolved, b.Unresolved)
	case len(a.Items) != len(b.Items):
		return fmt.Sprintf("%s: %d items, slow %d", at, len(a.Items), len(b.Items))
	case len(a.Pairs) != len(b.Pairs):
		return fmt.Sprintf("%s: %d pairs, slow %d", at, len(a.Pairs), len(b.Pairs))
	}
	for i := range a.Items {
		if d := diffNodes(fmt.Sprintf("%s[%d]", path, i), a.Items[i], b.Items[i]); d != "" {
			return d
		}
	}
	for i := range a.Pairs {
		k := path + "." + b.Pairs[i].Key.Str
		if d := diffNodes(k+"(key)", a.Pairs[i].Key, b.Pairs[i].Key); d != "" {
			return d
		}
		if d := diffNodes(k, a.Pairs[i].Value, b.Pairs[i].Value); d != "" {
			return d
		}
	}
	return ""
}

// checkFast parses data on both paths and reports a difference where the
// fast path accepts it; it returns whether the fast path accepted.
func checkFast(t testing.TB, name string, data []byte) bool {
	t.Helper()
	p := &parser{file: "serverless.yml"}
	if !p.checkEncoding(data) {
		return false
	}
	fast, ok := p.parseFast(data)
	if !ok {
		return false
	}
	slow, fs := parseSlow("serverless.yml", data)
	if len(fs) > 0 {
		t.Errorf("%s: the fast path accepts what the slow path reports: %v", name, fs)
		return true
	}
	if d := diffNodes("$", fast, slow); d != "" {
		t.Errorf("%s: %s", name, d)
	}
	return true
}

// fastSnippets are inputs at the edges of the fast path's subset.
var fastSnippets = []string{
	"a: 1\n", "a:\n", "a:  # c\nb: x # c\n", "a: [ ]\n", "a: {}\nb: [1, []]\n", "a: [{}, {x: []}]\n",
	"a: !Ref X\n", "a: !GetAtt A.B.C\n", "a: !GetAtt [A, B]\n", "a: !Sub 'x, y'\n", "a: !Sub \"x # y\"\n",
	"a: !Sub ''\n", "a: !Sub \"\\\"x\"\n", "a: !Join [':', [!Ref A, !ImportValue B]]\n", "a: !And []\n",
	"a: [!And []]\n", "a: [!Join ['', []]]\n", "a: !If [c, {x: 1}, !Ref AWS::NoValue]\n",
	"a: !Sub \"a\\nb\"\n", "a: !Ref 'q'\n",
	"- a\n- b: 1\n  c: 2\n-\n- - x\n", "a:\n- x\n- y\nb: 2\n", "a:\n  - x: 1\n    y:\n    - 2\n",
	"'a': 1\n\"b\": 2\n'c' : 3\n", "a: 'it''s'\nb: \"\\t\\\\\\\"\"\n", "1: a\ntrue: b\nnull: c\n1.0: d\n",
	"a: 2024-01-01\nb: 0x1F\nc: .inf\nd: ~\ne: -1\nf: -.5\n", "a: é\nb: [é, ü]\nc: 'é' # é\n",
	"é: 1\n\"ü\": [x]\n", "a: b:c\nd: e#f\n", "a: x\n  y\n", "a: 'x\n  y'\n", "a: x\n# c\n  # d\nb: y\n",
	"---\na: 1\n", "a: 1\n---\nb: 2\n", "a: 1\n...\n", "a: 1\na: 2\n", "a: {x: 1, x: 2}\n",
	"a: &x 1\nb: *x\n", "<<: {a: 1}\n", "a: |\n  x\n", "a: >-\n  x\n", "a: !!str 1\n", "a: ! 1\n",
	"a: !Foo x\n", "a: [1,2\n", "a: {x: 1\n", "a: [a b, c d]\n", "a: [x: 1]\n", "a: [a:b]\n", "a: [a:]\n",
	"a: {x: 1, y}\n", "a: [1,]\n", "a: b: c\n", "a:\n  b: 1\n c: 2\n", "a:\n  b: 1\n  - c\n",
	"a: \"\\u00e9\"\n", "a: \"\\ud83d\\ude00\"\n", "a: \"\\x41\\x7f\\xe9\\u00E9\\U0001F600 \\N\\_\\L\\P\"\n", "a: \"\\x4\"\n", "a: \"\\xZZ\"\n", "a: \"\\U00110000\"\n",
	"a: \"\\uD800\"\n", "a: \"\\u12\n", "a: \"\\x", "a: \"\\u0000\\x00\"\n", "a: ['\\x41', \"\\x41\"]\n", "a: !Sub \"\\x41,\"\n", "a: x\n\n\n", "\n\n# c\na: 1\n", "", "# only\n",
	"a:\n    b: 1\n    c:\n      - x\n      -   y: 1\n          z: 2\n", "a: -\n", "a: - x\n", "- -1\n- -x\n",
	"a: ?x\n", "a: :x\n", "a: x # c\n  # c\nb: 1\n", "  a: 1\n  b: 2\n", "  a: 1\nb: 2\n",
	"a: [\"x\", 'y']\nb: {\"k\": \"v\"}\n", "a: {\"k\":\"v\"}\n", "a: \"x\"y\n", "a: \"x\"#c\n",
	"key with spaces: value with spaces   \n", "a: 'x' \n", "a: \"\"\nb: ''\n", "a: \"\\\\\"\n",
	"a: !GetAtt 'A.B'\n", "a: !GetAtt \"A\"\n", "a: [!Ref x, !GetAtt y.z]\n", "a: {k: !Ref x}\n",
	"a: !Sub 'x' # c\n", "a: !Sub 'x,' \n", "a: !Sub '[x]'\n", "a: !Sub 'x]'\n", "a: !Sub '#x'\n",
	"a: !Sub 'a #b'\n", "a:\n  !Ref x\n", "a: !Ref\n", "a: !Ref  x\n", "- !Ref x\n- !Sub\n  - a\n",
	"a:\n  - b\n  -\n  - c\n", "a:\n-\n- b\n", "a: x\nb:\n", "a:\n  b:\n", "a: [[[[]]]]\n",
	"a: {b: {c: {}}}\n", "x: [a, {b: c}, [d]]\n", "a: 1e3\nb: 1_000\nc: 0o17\nd: 012\n",
	"a: yes\nb: No\nc: NULL\nd: True\n", "a: 12:30\nb: 2001-12-14 21:59:43.10 -5\n",
	"-1: a\n", "-a: b\n", ".5: x\n", "~: x\n", "'': x\n", "\"\": x\n", "? a\n: b\n", "[a]: b\n",
	"a: [b, c]  # x\n", "a: [b, c]x\n", "a: {b: c}}\n", "a: [b]]\n", "a: x\n b: y\n",
	"a: 'multi\n\n  line'\n", "a:\n  - [a, b]\n  - {c: d}\n", "a: x\n---\n", "--- \na: 1\n",
	"a: 1\r\nb:\r\n  - x\r\n  - 'y'\r\n", "a: b\rc\n", "a: !Sub 'x'\r\nb: !Sub 'x,'\r\n", "a:\r\n\r\nb: 1\r\n",
	"a: \"x\r\n\"\n", "a:\r\n- x\r\n", "---\r\na: 1\r\n", "a: x # c\r\n", "a: [x, y]\r\n",
	"- - a\n  - b\n- - - c\n    - d\n  - e\n", "a:\n  - - x\n    - y\n  - z\n", "- - a\n - b\n",
	"a:\n  !Join ['', [x]]\nb: 1\n", "a:\n  foo\nb: 1\n", "a:\n  foo\n  bar\n", "a:\n  'x'\n", "a:\n  [x]\n  [y]\n",
	"- a:\n  - x\n  b: 1\n", "'" + strings.Repeat("k", 1030) + "': 1\n", strings.Repeat("k", 1030) + ": 1\n", "k" + strings.Repeat(" ", 1030) + ": 1\n",
	"a: {'" + strings.Repeat("k", 1030) + "': 1}\n", strings.Repeat("k", 999) + " : 1\n",
	"a: &x [1, 2]\nb: *x\nc: [*x, *x]\n", "a: &x\n  k: v\nb: *x\n", "base: &b {x: 1, y: 2}\nm:\n  y: 0\n  <<: *b\n  z: 3\n",
	"a: &a {x: 1}\nb: &b {x: 2, y: 3}\nm:\n  <<: [*a, *b]\n", "b: &b {x: 1}\nm:\n  <<: *b\n  x: 5\n  x: 6\n", "b: &b {x: 1}\nm:\n  <<: *b\n  x: 5\n",
	"a: &x\n  b: *x\n", "a: &x 1\na2: &x 2\nb: *x\n", "a: *x\n", "a: &x !Ref y\nb: *x\n", "a: !Ref &x y\n", "a: &x 'q'\nb: *x\n",
	"a: &x []\nb: [*x]\nc: *x\n", "- &a k: v\n", "a: &x #c\n  b: 1\n", "a: &x#c\n  b: 1\n", "a: &x\n- 1\nb: *x\n", "a: *x , \n",
	"b: &b {x: 1}\n<<: *b\n", "b: &b {x: 1}\nm: {<<: *b}\n", "m:\n  <<: 1\n", "m:\n  <<: [1]\n", "s: &s [1]\nm:\n  <<: *s\n",
	"b: &b {x: 1}\n'<<': *b\n", "m:\n  <<: {a: 1}\n  <<: {a: 2, b: 3}\n", "a: &x {b: &y [1]}\nc: *y\nd: *x\n", "a: &x-1_z v\nb: *x-1_z\n",
	"a: &x v\nb: *x:\n", "a: &é v\n", "a: &x\n  - *x\n", "a: &x [*x]\n", "a: &x {k: *x}\n", "b: &b {x: 1}\nm:\n  x: 0\n  <<: *b\n",
	"b: &b {x: 1}\nm:\n  <<:\n    - *b\n", "b: &b {x: 1}\nm:\n  <<: *b # c\n", "b: &b\n  x: 1\nm:\n  <<: [*b, {y: 2}]\n  y: 3\n",
	"a: &x !GetAtt a.b\nb: *x\n", "a: [&x 1, *x]\n", "a: {k: &x 1, l: *x}\n", "a: &x  1\nb: *x  # c\n", "a: &x\n\n  k: v\n",
	"m: &m\n  <<: {a: 1}\n  b: 2\nn: *m\n", "- &x a\n- *x\n", "a: & x\n", "a: * x\n",
	"a: |\n  x\n  y\nb: 1\n", "a: |-\n  x\n\n  y\n\n\nb: 1\n", "a: |+\n  x\n\n\nb: 1\n", "a: >\n  x\n  y\n\n  z\nb: 1\n", "a: >-\n  x\n   y\n",
	"a: >+\n  x\n\n", "a: | # c\n  x # not a comment\n  k: v\n# c\nb: 1\n", "a: |  \n  x\n", "a: |2\n   x\n", "a: |\n\n  x\n", "a: |\n   \n  x\n",
	"a: |\n  x\n    more\n  y\n", "a: |\n  x\n   \n  y\n", "a: |\n  x", "a: |\n  x\n  ", "a: |\nb: 1\n", "a: |\n", "a: |", "- |\n  x\n- >-\n  y\n  z\n",
	"a:\n  - |\n    x\n  - y\n", "a: |\r\n  x\r\n\r\n  y\r\nb: 1\r\n", "a: |\n  x\n ---\n", "a: |\n  x\n---\n", "a: |\n  x\n b: 1\n", "a: |#c\n  x\n",
	"a: >\n  é ü\n  ü\n", "a: !Join\n  - ''\n  - [x, !Ref y]\nb: 1\n", "a: !If\n- c\n- !Ref x\n- {}\n", "- !Sub\n  - '${x}'\n  - {x: 1}\n",
	"a: !Join # c\n  - x\n", "a: !Join#c\n  - x\n", "a: !Join\n  k: v\n", "a: !Join\n", "a: !Join\n  x\n", "a: !Foo\n  - x\n", "a: !!seq\n  - x\n",
	"a: !Join\n  - []\n", "a: !Join\r\n  - x\r\n", "a: !Join  \n  - x\n  - y\nb: !Ref z\n", "a:\n  - !Join\n    - x\n  - y\n", "a: !Sub |\n  x\n", "a: &x |\n  x\nb: *x\n", "k:\n  a: |\n    x\n\n  b: 1\n", "a: |-\n  x\n\n", "a: >\n  a\n\n\n  b\n  c\n", "a:\n  b: x\n  \n  c: y\n", "a:\n  b: x\n c\n",
}

func TestFastPathMatchesSlowPath(t *testing.T) {
	accepted, total := 0, 0
	for _, in := range yamlFiles(t) {
		total++
		if checkFast(t, in.name, in.data) {
			accepted++
		}
	}
	for i, s := range fastSnippets {
		checkFast(t, fmt.Sprintf("snippet %d %q", i, s), []byte(s))
	}
	checkFast(t, "generated service", benchsvc.Service(100))
	t.Logf("the fast path accepts %d of %d files", accepted, total)
}

// TestFastPathBails lists the YAML files the fast path gives up on, with
// the line, under -v.
func TestFastPathBails(t *testing.T) {
	for _, in := range readableYAML(t) {
		p := &parser{file: "f.yml"}
		if _, line := p.fastOrLine(in.data); line != 0 {
			text := ""
			if line > 0 {
				text = strings.Split(string(in.data), "\n")[line-1]
			}
			t.Logf("%s:%d: %q", in.name, line, text)
		}
	}
}

// FuzzFastPath: wherever the fast path accepts an input, its tree is the
// slow path's and the slow path finds nothing; no input panics.
func FuzzFastPath(f *testing.F) {
	for _, in := range yamlFiles(f) {
		if len(in.data) < 64<<10 {
			f.Add(in.data)
		}
	}
	for _, s := range fastSnippets {
		f.Add([]byte(s))
	}
	f.Add(benchsvc.Service(2))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFast(t, "input", data)
		Parse("f.yml", data)
	})
}

// TestFastPathIsTaken: the fast path reads the YAML files of the testdata
// and the corpus that the slow path reads without findings (so that it
// cannot silently give up everywhere), and the benchmark's service.
func TestFastPathIsTaken(t *testing.T) {
	eligible, accepted := 0, 0
	for _, in := range readableYAML(t) {
		if !strings.HasSuffix(in.name, ".yml") && !strings.HasSuffix(in.name, ".yaml") {
			continue // a fuzz seed
		}
		p := &parser{file: "f.yml"}
		eligible++
		if _, ok := p.parseFast(in.data); ok {
			accepted++
		}
	}
	t.Logf("the fast path reads %d of %d YAML files", accepted, eligible)
	if eligible > 0 && accepted*100 < eligible*95 {
		t.Errorf("the fast path reads only %d of %d YAML files", accepted, eligible)
	}
	for _, n := range []int{1, 1000} {
		p := &parser{file: "f.yml"}
		if _, ok := p.parseFast(benchsvc.Service(n)); !ok {
			t.Errorf("the fast path gives up on the generated service of %d functions", n)
		}
	}
}

// TestFastPathGenerated compares the paths on documents generated from
// the pieces serverless.yml files are made of, with their variations of
// spacing, quoting, tags and comments, and a few mistakes.
func TestFastPathGenerated(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 1))
	accepted, total := 0, 3000
	if testing.Short() {
		total = 300
	}
	for i := range total {
		g := &docGen{rng: rng}
		g.mapping(0, 3)
		doc := g.b.String()
		switch rng.IntN(8) {
		case 0:
			doc = strings.ReplaceAll(doc, "\n", "\r\n")
		case 1:
			doc = strings.TrimSuffix(doc, "\n")
		case 2:
			doc = "---\n" + doc
		}
		if checkFast(t, fmt.Sprintf("generated %d:\n%s", i, doc), []byte(doc)) {
			accepted++
		}
	}
	t.Logf("the fast path accepts %d of %d generated documents", accepted, total)
	if accepted < total/4 {
		t.Errorf("the fast path accepts only %d of %d generated documents", accepted, total)
	}
}

type docGen struct {
	rng *rand.Rand
	b   strings.Builder
}

func (g *docGen) pick(s ...string) string { return s[g.rng.IntN(len(s))] }

var (
	genKeys = []string{"<<", "<<", "a", "name", "Fn::GetAtt", "b c", "'q'", `"dq"`, "1", "true", "null", "é", "x-y", "a#b", "'it''s'", `"e\"s"`, "0x1F", "~", "a.b", "-k", "k "}
	genVals = []string{"x", "h.main", "arn:aws:kinesis:eu-west-1:1:stream/s", "${self:custom.x}", "100", "-1", "1.5", "1e3", "0o17", ".inf", "~", "null", "true", "False", "yes",
		"2024-01-01", "2001-12-14 21:59:43.10 -5", "a b", "a#b", "x:y", "é ü", "'s'", "'it''s'", "''", `"d"`, `"a\"b"`, `"\\n\t"`, `"é"`, `""`, `"x # y"`, "'a, b'", "'[x]'",
		"!Ref X", "!GetAtt A.B", "!GetAtt A", "!Sub 'a, b'", `!Sub "x"`, "!Sub ''", `!Sub "a\nb"`, "!Ref 'q'", "!ImportValue x", "!Base64 'x # y'", "!Foo x", "!!str 1", "&a x", "*a",
		"a: b", "- x", "|", ">-", "[a, b]", "[ a , b ]", "[]", "[ ]", "{}", "{a: 1}", "{ a: [x, {}], b: !Ref c }", "[!Ref a, !GetAtt b.c]", "!Join ['', [a, !Ref b]]", "!And []",
		"[[], [[]]]", "[{}]", "{a: {}}", "[a, ]", "[a b]", "[a:b]", "{a}", "<<", `"\u00e9"`, "x # comment", "x #", "'x' # c", "[x] # c", "x   ",
		"&a x", "&b [x, *a]", "&a {k: v}", "*a", "*b", "[*a, *b]", "&c 'q'", "*c"}
)

func (g *docGen) scalar(flow bool) string {
	v := g.pick(genVals...)
	if flow && g.rng.IntN(3) == 0 {
		return g.flow(2)
	}
	return v
}

func (g *docGen) flow(depth int) string {
	n := g.rng.IntN(4)
	items := make([]string, n)
	mapping := g.rng.IntN(2) == 0
	for i := range items {
		v := g.pick("x", "1", "'q'", `"d"`, "!Ref r", "!GetAtt a.b", "[]", "{}", "a b", "arn:x", "é", "!Sub 'a,b'")
		if depth > 0 && g.rng.IntN(3) == 0 {
			v = g.flow(depth - 1)
		}
		if mapping {
			v = g.pick("k", "'k'", "l", "m", "1") + g.pick(": ", ":  ", " : ") + v
		}
		items[i] = v
	}
	sep := g.pick(", ", ",", " , ")
	if mapping {
		return "{" + g.pick("", " ") + strings.Join(items, sep) + g.pick("", " ") + "}"
	}
	return "[" + g.pick("", " ") + strings.Join(items, sep) + g.pick("", " ") + "]"
}

func (g *docGen) comment() string {
	switch g.rng.IntN(6) {
	case 0:
		return " # c"
	case 1:
		return "   #c é"
	case 2:
		return g.pick(" ", "  ")
	}
	return ""
}

func (g *docGen) filler(indent int) {
	switch g.rng.IntN(12) {
	case 0:
		g.b.WriteString("\n")
	case 1:
		g.b.WriteString(strings.Repeat(" ", g.rng.IntN(8)) + "# line\n")
	case 2:
		g.b.WriteString(strings.Repeat(" ", indent+g.rng.IntN(3)) + "\n")
	}
}

func (g *docGen) mapping(indent, depth int) {
	for i, n := 0, 1+g.rng.IntN(4); i < n; i++ {
		g.filler(indent)
		if i > 0 || !strings.HasSuffix(g.b.String(), "- ") {
			ind := indent
			if g.rng.IntN(60) == 0 {
				ind += 2*g.rng.IntN(2) - 1
			}
			g.b.WriteString(strings.Repeat(" ", max(ind, 0)))
		}
		g.b.WriteString(g.pick(genKeys...) + g.pick(":", ":", ":", " :"))
		g.value(indent, depth, true)
	}
}

func (g *docGen) seq(indent, depth int) {
	for i, n := 0, 1+g.rng.IntN(3); i < n; i++ {
		g.filler(indent)
		g.b.WriteString(strings.Repeat(" ", indent) + "-")
		switch g.rng.IntN(5) {
		case 0:
			if depth > 0 {
				g.b.WriteString(g.pick(" ", "   "))
				g.mapping(indent+2, depth-1) // a compact mapping: only right with one space
				continue
			}
		case 1:
			if depth > 0 {
				g.b.WriteString(" - " + g.scalar(false) + "\n")
				continue
			}
		}
		g.value(indent, depth, false)
	}
}

func (g *docGen) value(indent, depth int, mapValue bool) {
	switch r := g.rng.IntN(10); {
	case r < 5 || depth == 0:
		g.b.WriteString(" " + g.scalar(true) + g.comment() + "\n")
	case r == 5:
		g.b.WriteString(g.comment() + "\n") // empty
	case r == 6 && mapValue:
		g.b.WriteString(g.comment() + "\n")
		g.seq(indent, depth-1) // indentless
	case r == 7:
		g.b.WriteString(g.pick("", "", " !Join", " !If", " &s", " !Foo") + g.comment() + "\n")
		g.seq(indent+2+2*g.rng.IntN(2), depth-1)
	case r == 8 && g.rng.IntN(2) == 0:
		g.b.WriteString("\n" + strings.Repeat(" ", indent+2) + g.scalar(true) + "\n")
	case r == 8:
		g.b.WriteString(" " + g.pick("|", ">", "|-", ">-", "|+", ">+", "|2") + g.comment() + "\n")
		ind := strings.Repeat(" ", indent+1+g.rng.IntN(3))
		for n := g.rng.IntN(4); n >= 0; n-- {
			g.b.WriteString(ind + g.pick("x", "y z", " more", "# c", "k: v", "é") + "\n")
			if g.rng.IntN(3) == 0 {
				g.b.WriteString(g.pick("", " ", ind) + "\n")
			}
		}
	default:
		g.b.WriteString(g.comment() + "\n")
		g.mapping(indent+2+g.rng.IntN(2), depth-1)
	}
}

// TestFastPathLongLinesAreLinear: columns on a long line that is not ASCII
// are counted once, not from the line's start for each value (that was
// quadratic: minutes for this line).
func TestFastPathLongLinesAreLinear(t *testing.T) {
	data := []byte("a: [" + strings.Repeat("é, !Sub 'é', ", 100_000) + "é]\n")
	p := &parser{file: "f.yml"}
	p.checkEncoding(data)
	start := time.Now()
	n, ok := p.parseFast(data)
	if !ok || len(n.Get("a").Items) != 200_001 {
		t.Fatal("the fast path does not read the line")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v", d)
	}
}

// TestEscapedSlashDoesNotDependOnTheRestOfTheFile: yaml.v3 refused the
// escape "\/" in a double-quoted scalar, and the fast path took it, so the
// same line parsed or failed depending on whether anything else in the file
// sent it to the slow path (here a multi-line plain scalar). The fast path
// gives it to the slow path, which reads it as js-yaml does (slash.go).
func TestEscapedSlashDoesNotDependOnTheRestOfTheFile(t *testing.T) {
	line := "a: \"x\\/y\"\n"
	_, alone := Parse("serverless.yml", []byte(line))
	_, slow := Parse("serverless.yml", []byte(line+"b: c\n  d\n"))
	if alone.HasErrors() || slow.HasErrors() {
		t.Errorf("%q: findings %v alone, %v in a file the fast path does not read", line, alone, slow)
	}
	checkFast(t, line, []byte(line))
}

// TestFastPathArenaFitsTheTree: the arena's chunks, sized to the
// document, end near the tree's size (a first chunk from the line count
// alone left 4% unused at 1000 functions) in a few allocations (a chunk
// every 512 nodes past the first made 895 allocations at 5000), and none
// is made for a document the fast path does not read.
func TestFastPathArenaFitsTheTree(t *testing.T) {
	var count func(n *node.Node) int
	count = func(n *node.Node) int {
		c := 1
		for _, it := range n.Items {
			c += count(it)
		}
		for _, pr := range n.Pairs {
			c += 1 + count(pr.Value)
		}
		return c
	}
	for _, fns := range []int{1000, 5000} {
		data := benchsvc.Service(fns)
		p := &parser{file: "serverless.yml"}
		p.checkEncoding(data)
		n, ok := p.parseFast(data)
		if !ok {
			t.Fatal("the fast path does not read the service")
		}
		if nodes, left := count(n), len(p.arena); left > nodes/50 {
			t.Errorf("%d functions: %d nodes, %d more carved", fns, nodes, left)
		}
		allocs := testing.AllocsPerRun(1, func() { Parse("serverless.yml", data) })
		if limit := float64(fns)/10 + 20; allocs > limit {
			t.Errorf("%d functions: %v allocations, want at most %v", fns, allocs, limit)
		}
	}
	// JSON (a template) goes to the slow path before the arena is made
	// for it.
	p := &parser{file: "template.json"}
	json := []byte(`{"Resources": {"A": {"Type": "T", "Properties": {"L": [1, 2, 3]}}}}` + "\n")
	p.checkEncoding(json)
	if _, ok := p.parseFast(json); ok || p.arena != nil {
		t.Errorf("JSON: fast path %v, arena of %d nodes", ok, len(p.arena))
	}
}

// TestPlainEndIsBytewise: the word-at-a-time scan for the end of a plain
// scalar stops where a loop over each byte does, among the bytes that end
// one, those the borrow of its arithmetic marks (the byte after ':'^1,
// '#'^1 and 0x0F^1) and the other bytes from 0x08 to 0x0F.
func TestPlainEndIsBytewise(t *testing.T) {
	alphabet := []byte("a :#\n\r;\"*\x0e\x01\x08\x0f\x1a\x80é")
	bytewise := func(src string, j int) int {
		for ; j < len(src); j++ {
			switch src[j] {
			case '\n', '\r':
				return j
			case ':':
				if j+1 >= len(src) || src[j+1] == ' ' || src[j+1] == '\n' || src[j+1] == '\r' {
					return j
				}
			case '#':
				if j > 0 && src[j-1] == ' ' {
					return j
				}
			}
		}
		return len(src)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100_000 {
		b := make([]byte, 1+rng.IntN(40))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		if rng.IntN(2) == 0 {
			b = bytes.ReplaceAll(b, []byte{'\r'}, []byte{'\n'})
		}
		f := &fastParser{src: string(b), b: b, cr: bytes.IndexByte(b, '\r') >= 0}
		st := rng.IntN(len(b))
		if got, want := f.plainEnd(st), bytewise(f.src, st); got != want {
			t.Fatalf("%q from %d: plainEnd %d, byte by byte %d", b, st, got, want)
		}
	}
}

// TestFastPathRefusesDuplicateKeys: a key seen before in its mapping
// makes the fast path give up (the slow path reports it), however many
// keys of other lengths, of its length or merged come between.
func TestFastPathRefusesDuplicateKeys(t *testing.T) {
	many := ""
	for i := range 20 {
		many += fmt.Sprintf("k%d: %d\n", i, i)
	}
	for _, doc := range []string{
		"a: 1\na: 2\n",
		"a: 1\nbb: 2\nccc: 3\nbb: 4\n",
		"ab: 1\ncd: 2\nab: 3\n",
		"x:\n  a: 1\n  b: 2\n  a: 3\n",
		many + "k3: again\n",
		"m: &m {a: 1}\nn:\n  <<: *m\n  b: 2\n  b: 3\n",
		"- a: 1\n  b: 2\n  a: 3\n",
	} {
		p := &parser{file: "f.yml"}
		p.checkEncoding([]byte(doc))
		if _, ok := p.parseFast([]byte(doc)); ok {
			t.Errorf("%q: the fast path read a duplicate key", doc)
		}
		if _, fs := Parse("f.yml", []byte(doc)); len(fs) == 0 {
			t.Errorf("%q: no finding", doc)
		}
	}
}

// TestScalarIsResolvePlain: the fast path's shortcuts for strings,
// booleans and integers make resolvePlain's value.
func TestScalarIsResolvePlain(t *testing.T) {
	ins := []string{"", "~", "null", "x", "true", "True", "TRUE", "tRue", "false", "False", "FALSE", "fAlse",
		"0", "7", "007", "000000000017", "123456789012345", "999999999999999", "1234567890123456",
		"9007199254740993", "99999999999999999999", "-1", "+1", "1.5", "1e3", "0x1F", "2002-12-14", ".inf"}
	for _, v := range ins {
		b := []byte("a: b\n")
		f := &fastParser{p: &parser{}, src: string(b), b: b}
		got, want := f.scalar(v, diag.Range{}), resolvePlain(v, diag.Range{})
		if got.Kind != want.Kind || got.Str != want.Str || got.Bool != want.Bool ||
			got.Num != want.Num && !(math.IsNaN(got.Num) && math.IsNaN(want.Num)) {
			t.Errorf("%q: scalar %s %s, resolvePlain %s %s", v, got.Kind, got.Stringify(), want.Kind, want.Stringify())
		}
	}
}
