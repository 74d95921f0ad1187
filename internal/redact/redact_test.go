package redact

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/textsafe"
)

// hostile is a secret that holds every character an escaper rewrites:
// Markdown, workflow commands, the neutraliser, JSON.
const hostile = "s3cr_t*[x]<y>&z|w\\v`u#t%s:r,q\r\np::o##[n\"m"

func env(kv ...string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		for i := 0; i < len(kv); i += 2 {
			if kv[i] == k {
				return kv[i+1], true
			}
		}
		return "", false
	}
}

func TestString_RedactsEveryEscapedForm(t *testing.T) {
	t.Parallel()
	r := New(env("AWS_SESSION_TOKEN", hostile))
	escaped := map[string]string{
		"raw":             hostile,
		"Markdown":        textsafe.Markdown(hostile),
		"MarkdownCode":    textsafe.MarkdownCode(hostile),
		"CommandData":     textsafe.CommandData(hostile),
		"CommandProperty": textsafe.CommandProperty(hostile),
		"Neutralize":      textsafe.Neutralize(hostile),
		"Line":            textsafe.Line(hostile),
		"JSON":            mustJSON(t, hostile),
	}
	for name, form := range escaped {
		got := r.String("before " + form + " after")
		if got != "before *** after" {
			t.Errorf("%s form: %q", name, got)
		}
		if _, ok := r.Find([]byte("x" + form + "x")); !ok {
			t.Errorf("%s form: Find missed it", name)
		}
	}
}

func mustJSON(t *testing.T, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b[1 : len(b)-1])
}

func TestString_TokenShapesAlsoMarkdownEscaped(t *testing.T) {
	t.Parallel()
	r := New(env())
	for _, tok := range []string{
		"ghp_abcdefghijklmnopqrstuvwxyz0123456789",
		"ghs_16C7e42F292c6912E7710c838347Ae178B4a",
		"github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
		"AKIAIOSFODNN7EXAMPLE",
		"npm_abcdefghijklmnopqrstuvwxyz0123456789",
		"eyJhbGciOiJSUzI1NiJ9.eyJzY3AiOiJBY3Rpb25zIn0.c2lnbmF0dXJlLXZhbHVl",
		"eyJhbGci_iJSUzI1NiJ9.eyJzY3Ai_iJBY3Rpb25zIn0.c2ln_mF0dXJlLXZhbHVl",
	} {
		for _, form := range []string{tok, textsafe.Markdown(tok)} {
			line := "startingPosition: " + form + " [schema-enum]"
			if got := r.String(line); got != "startingPosition: *** [schema-enum]" {
				t.Errorf("%q not redacted: %q", form, got)
			}
			if _, ok := r.Find([]byte(line)); !ok {
				t.Errorf("%q not found as a secret", form)
			}
		}
	}
	for _, ok := range []string{"arn:aws:kinesis:us-east-1:123456789012:stream/ghp_short", "TRIM_HORIZON", "AT\\_TIMESTAMP"} {
		if got := r.String(ok); got != ok {
			t.Errorf("%q was redacted: %q", ok, got)
		}
	}
}

func TestAdd_LongestFirstAndShortIgnored(t *testing.T) {
	t.Parallel()
	r := New(env("GITHUB_TOKEN", "abcdefgh", "NPM_TOKEN", "abcdefgh-longer", "GH_TOKEN", "short"))
	if got := r.String("abcdefgh-longer abcdefgh short"); got != "*** *** short" {
		t.Errorf("got %q", got)
	}
	r.Add("  late-secret-value \n", "an OIDC token")
	if got := r.String("x late-secret-value"); got != "x ***" {
		t.Errorf("a late secret: %q", got)
	}
	if from, ok := r.Find([]byte("x late-secret-value")); !ok || from != "an OIDC token" {
		t.Errorf("Find = %q, %v", from, ok)
	}
}

func TestEnvNames_CredentialsNotEndpoints(t *testing.T) {
	t.Parallel()
	names := strings.Join(EnvNames(), " ")
	for _, want := range []string{"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "ACTIONS_RUNTIME_TOKEN", "GITHUB_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"} {
		if !strings.Contains(" "+names+" ", " "+want+" ") {
			t.Errorf("%s is not redacted", want)
		}
	}
	if strings.Contains(names, "_URL") {
		t.Errorf("an endpoint is redacted: %s", names)
	}
}

func TestFindings_CopiesRedacted(t *testing.T) {
	t.Parallel()
	r := New(env("AWS_SESSION_TOKEN", hostile))
	in := diag.Findings{{Rule: "r", Message: "value " + hostile, Range: diag.Range{File: hostile + "/serverless.yml"}}}
	out := r.Findings(in)
	if out[0].Message != "value ***" || out[0].Range.File != "***/serverless.yml" {
		t.Errorf("out = %+v", out[0])
	}
	if !strings.Contains(in[0].Message, hostile) {
		t.Error("the input was changed")
	}
}
