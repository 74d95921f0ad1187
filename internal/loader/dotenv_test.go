package loader

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/vars"
)

// TestDotenvAsServerless compares with what Serverless 3.40.0's loader
// leaves in process.env for the file's keys: these rows were recorded by
// running dotenv 16.6.1 (parse, config) and dotenv-expand 10.0.0 (expand)
// under node on the same input and environment, as lib/cli/load-dotenv.js
// calls them. A nil want is a file Serverless stops on ("Maximum call
// stack size exceeded").
func TestDotenvAsServerless(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		env       map[string]string
		want      map[string]string
		fails     bool
	}{
		{"default when empty", "E=\nA=${E:-dflt}\nB=${UNSET:-u}\nC=${SETR:-no}\n", map[string]string{"SETR": "real", "EMPTYR": ""}, map[string]string{"E": "", "A": "dflt", "B": "u", "C": "real"}, false},
		{"default when real is empty", "A=${EMPTYR:-dflt}\n", map[string]string{"EMPTYR": ""}, map[string]string{"A": "dflt"}, false},
		{"hash ends unquoted", "A=x#y\nB=x #y\nC=#all\nD=\"q#r\"\nE='q # r'\nF=a b   # c\nG=\"q\" # c\n", map[string]string{}, map[string]string{"A": "x", "B": "x", "C": "", "D": "q#r", "E": "q # r", "F": "a b", "G": "q"}, false},
		{"forward and deep references", "A=$B-$C\nB=${C}b\nC=$D\nD=deep\n", map[string]string{}, map[string]string{"A": "-deep", "B": "", "C": "deep", "D": "deep"}, false},
		{"single quotes are expanded", "X=x\nA='$X'\nB=`$X`\nC=\"$X\"\n", map[string]string{}, map[string]string{"X": "x", "A": "x", "B": "x", "C": "x"}, false},
		{"escaped dollar", "X=x\nA=\\$X\nB=\\${X}\nC=a\\$X$X\n", map[string]string{}, map[string]string{"X": "x", "A": "$X", "B": "${X}", "C": "a\\xx"}, false},
		{"multiline double quoted", "A=\"l1\nl2\"\nB=\"a\\nb\"\nC='a\\nb'\nD=`x\ny`\n", map[string]string{}, map[string]string{"A": "l1\nl2", "B": "a\nb", "C": "a\\nb", "D": "x\ny"}, false},
		{"export prefix and colon", "export A=1\n  export   B = 2 \nC: 3\nD:4\n", map[string]string{}, map[string]string{"A": "1", "B": "2", "C": "3"}, false},
		{"real environment wins and is expanded", "HOME=fromfile\nP=$Q\nQ=q\n", map[string]string{"HOME": "/h", "P": "p$Q"}, map[string]string{"HOME": "/h", "P": "pq", "Q": "q"}, false},
		{"replace patterns of the replacement", "A=$P\nB=x$R\nC=$S-t\n", map[string]string{"P": "a$$b", "R": "[$`]", "S": "<$'>"}, map[string]string{"A": "a", "B": "x[x]", "C": "<-t>-t"}, false},
		{"a trailing dollar stops expansion", "A=$X$\nB=$\nC=${\nD=$X}\nX=x\n", map[string]string{}, map[string]string{"A": "$X$", "B": "$", "C": "${", "D": "x", "X": "x"}, false},
		{"first occurrence is replaced", "A=$Xy$X\nX=x\n", map[string]string{}, map[string]string{"A": "xyx", "X": "x"}, false},
		{"unclosed brace and odd defaults", "A=${X\nB=${Y:-a b}\nC=${Y:-}\nD=${Y:-$X}\nX=x\n", map[string]string{}, map[string]string{"A": "x", "B": "a b", "C": "", "D": "x", "X": "x"}, false},
		{"key order puts indices first", "Z=z\n10=$Z\n2=${10}\n01=o\n", map[string]string{}, map[string]string{"2": "z", "10": "z", "Z": "z", "01": "o"}, false},
		{"duplicates keep the last value", "A=1\nB=$A\nA=2\n", map[string]string{}, map[string]string{"A": "2", "B": "2"}, false},
		{"crlf and cr", "A=1\r\nB=2\rC=\"x\r\ny\"\r\n", map[string]string{}, map[string]string{"A": "1", "B": "2", "C": "x\ny"}, false},
		{"quotes that do not close", "A=\"abc\nB='x\nC=\"q\" tail\n", map[string]string{}, map[string]string{"A": "\"abc", "B": "'x", "C": "\"q\" tail"}, false},
		{"empty parsed value falls to parsed", "A=$E\nE=\n", map[string]string{"E": ""}, map[string]string{"A": "", "E": ""}, false},
		{"self reference overflows", "A=$A\n", map[string]string{}, nil, true},
		{"value on the next line after equals", "A=\n'q'\nB=1\n", map[string]string{}, map[string]string{"A": "q", "B": "1"}, false},
		{"bom and unicode spaces", "\ufeffA=1\n\u00a0B=\u3000x\u3000\n", map[string]string{}, map[string]string{"A": "1", "B": "x"}, false},
		{"inline comment after quoted value", "A=\"x\"#c\nB='y' # c\n", map[string]string{}, map[string]string{"A": "x", "B": "y"}, false},
		{"an amp pattern loops", "A=$R\n", map[string]string{"R": "[$&]"}, nil, true},
		{"line separators end a comment and start a line", "A=x #c\u2028B=2\nC=#\u2028\u00a0\nD=a\u2028b\n", map[string]string{}, map[string]string{"A": "x", "B": "2", "C": "", "D": "a\u2028b"}, false},
		{"line separator after an unclosed quote", "export A = \u00a0'export #c\u00a0\u2028\\$\u00a0\n", map[string]string{}, map[string]string{"A": "'export"}, false},
		{"long chain within the stack", "X=1\nA=" + strings.Repeat("$X", 3000) + "\n", map[string]string{}, map[string]string{"X": "1", "A": strings.Repeat("1", 3000)}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := expandDotenv(".env", tc.src, func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok })
			if got := st.other.HasRule(vars.RuleCycle); got != tc.fails {
				t.Fatalf("cycle finding = %v, want %v: %v", got, tc.fails, st.other)
			}
			if tc.fails {
				return
			}
			if !reflect.DeepEqual(st.vals, tc.want) {
				t.Errorf("got  %q\nwant %q", st.vals, tc.want)
			}
		})
	}
}

// FuzzDotenv checks that reading any .env file ends without a panic, with
// positioned findings only.
func FuzzDotenv(f *testing.F) {
	for _, s := range []string{"A=$A\n", "A=${B:-x}\nB=\"l1\nl2\"\n", "A=$P\n", "X=$GITHUB_TOKEN\u2028Y=$X\n", "A='#\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		env := map[string]string{"P": "[$&][$`][$']", "GITHUB_TOKEN": "t"}
		st := expandDotenv(".env", src, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
		for _, x := range st.findings() {
			if x.Range.Start.Line < 1 || x.Range.Start.Col < 1 {
				t.Fatalf("finding without a position: %v", x)
			}
		}
	})
}

// TestDotenvSecretRefused: a .env reference to a name that ${env:...}
// refuses must not carry its value into the configuration or the findings
// (issue 8): the variable is left unset and the reference is reported where
// it is written, as an error when the config reads it.
func TestDotenvSecretRefused(t *testing.T) {
	const secret, token, input = "wJalrSECRETvalue", "ghs_TOKENvalue", "INPUTvalue"
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"serverless.yml": "service: s\nuseDotenv: true\ncustom:\n" +
			"  a: ${env:LEAK, 'fallback'}\n  b: ${env:LEAK2}\n  c: ${env:VIA}\n  d: ${env:OK}\n" +
			"  e: ${env:AWS_SECRET_ACCESS_KEY, 'refused'}\n  f: ${env:BUILT, 'built'}\n",
		".env": "LEAK=$AWS_SECRET_ACCESS_KEY\nLEAK2=x-${GITHUB_TOKEN}\nVIA=$LEAK2\nOK=fine\n" +
			"UNUSED=${INPUT_TOKEN:-d}\nAWS_SECRET_ACCESS_KEY=fromfile\nP=GITHUB_\nBUILT=$${P}TOKEN\n",
	})
	env := map[string]string{"AWS_SECRET_ACCESS_KEY": secret, "GITHUB_TOKEN": token, "INPUT_TOKEN": input}
	c, err := Load(filepath.Join(dir, "serverless.yml"), vars.Options{
		Getenv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }})
	if err != nil {
		t.Fatal(err)
	}
	dotenv := filepath.ToSlash(filepath.Join(dir, ".env"))
	var got []string
	for _, f := range c.Findings {
		if f.Range.File == dotenv {
			got = append(got, strings.TrimPrefix(f.String(), dotenv)+" "+f.Severity.String())
		}
	}
	want := []string{
		":1:6: LEAK is left unset: it reads AWS_SECRET_ACCESS_KEY, which would end up in the template artifact (an AWS credential) [variable-secret-env] error",
		":2:9: LEAK2 is left unset: it reads GITHUB_TOKEN, which would end up in the template artifact (a GitHub token) [variable-secret-env] error",
		":3:5: VIA is left unset: it reads GITHUB_TOKEN, which would end up in the template artifact (a GitHub token) [variable-secret-env] error",
		":5:8: UNUSED is left unset: it reads INPUT_TOKEN, which would end up in the template artifact (a GitHub Actions input, which may carry a token) [variable-secret-env] warning",
		":8:7: BUILT is left unset: it reads GITHUB_TOKEN, which would end up in the template artifact (a GitHub token) [variable-secret-env] error",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf(".env findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	out := c.Root.Stringify()
	for _, f := range c.Findings {
		out += "\n" + f.String()
	}
	for _, s := range []string{secret, token, input, "fromfile"} {
		if strings.Contains(out, s) {
			t.Errorf("%q reached the output:\n%s", s, out)
		}
	}
	for k, v := range map[string]string{"a": "fallback", "d": "fine", "f": "built"} {
		if n := c.Root.Path("custom", k); n.Str != v {
			t.Errorf("custom.%s = %q, want %q", k, n.Str, v)
		}
	}
	for _, k := range []string{"b", "c", "e"} {
		if !hasFindingAt(c.Findings, c.Root.Path("custom", k).Range.Start) {
			t.Errorf("custom.%s: no finding at its ${env:...}: %v", k, c.Findings)
		}
	}
}

func hasFindingAt(fs diag.Findings, p diag.Pos) bool {
	for _, f := range fs {
		if f.Severity == diag.Error && f.Range.Start.Line == p.Line {
			return true
		}
	}
	return false
}
