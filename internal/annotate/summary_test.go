package annotate

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/stream-events/stream-events/internal/diag"
)

func sampleSummary(fs diag.Findings) Summary {
	return Summary{
		Repo: RepoInfo{ServerURL: "https://github.com", Repository: "acme/orders", SHA: "0123456789abcdef0123456789abcdef01234567"},
		Services: []ServiceSummary{{
			Name:       "orders",
			ConfigPath: "svc/serverless.yml",
			Findings:   fs,
			Resources: []Resource{
				{LogicalID: "IngestEventSourceMappingDynamodbOrders", Type: "AWS::Lambda::EventSourceMapping", Stream: "arn:aws:dynamodb:eu-west-1:123:table/Órders/stream/x", Function: "ingest"},
				{LogicalID: "Evil|Id", Type: "<script>alert(1)</script>", Stream: "`code`\nnext", Function: "*bold* _it_ [x](y)"},
			},
			Deploy: "Change set `cs-1`: **2 added**\n",
		}, {
			Name:       "clean",
			ConfigPath: "clean/serverless.yml",
		}, {
			Name:           "legacy",
			ConfigPath:     "legacy/serverless.yml",
			NoStreamEvents: true,
		}},
		FullReport: "The SARIF file results.sarif and the artifact stream-events",
		FailOn:     "warning",
		Notes:      []string{"**Not deployed** (deploy: auto): event `push` to `refs/heads/dev`."},
	}
}

func TestVerdictLine(t *testing.T) {
	t.Parallel()
	at := func(sevs ...diag.Severity) diag.Findings {
		var fs diag.Findings
		for _, s := range sevs {
			fs = append(fs, diag.Finding{Severity: s})
		}
		return fs
	}
	E, W, N := diag.Error, diag.Warning, diag.Notice
	tests := []struct {
		fs      diag.Findings
		hazards map[diag.Severity]int
		failOn  string
		want    string
	}{
		{at(E, E, E, N), nil, "error", "❌ **3 errors fail this step** (fail-on: error)"},
		{at(E, W, N), nil, "error", "❌ **1 error fails this step** (fail-on: error)"},
		{at(E, E, W), nil, "warning", "❌ **2 errors and 1 warning fail this step** (fail-on: warning)"},
		{at(W, N), map[diag.Severity]int{E: 1, N: 4}, "error", "❌ **1 plan hazard fails this step** (fail-on: error)"},
		{at(E), map[diag.Severity]int{W: 2}, "warning", "❌ **1 error and 2 plan hazards fail this step** (fail-on: warning)"},
		{at(W, N), nil, "error", "✅ no findings at or above error (fail-on: error)"},
		{at(N), map[diag.Severity]int{N: 1}, "warning", "✅ no findings at or above warning (fail-on: warning)"},
		{at(E), nil, "never", "ℹ️ findings do not fail this step (fail-on: never)"},
	}
	for _, tc := range tests {
		if got := verdictLine(tc.fs, tc.hazards, tc.failOn); got != tc.want {
			t.Errorf("verdictLine(%d findings, %v, %s) = %q, want %q", len(tc.fs), tc.hazards, tc.failOn, got, tc.want)
		}
	}
}

func TestRepoInfo_blobURL(t *testing.T) {
	repo := RepoInfo{Repository: "acme/orders", SHA: "abc1234"}
	tests := []struct {
		what          string
		r             RepoInfo
		file          string
		line, endLine int
		want          string
	}{
		{"line", repo, "svc/serverless.yml", 3, 3, "https://github.com/acme/orders/blob/abc1234/svc/serverless.yml#L3"},
		{"range", repo, "svc/serverless.yml", 3, 7, "https://github.com/acme/orders/blob/abc1234/svc/serverless.yml#L3-L7"},
		{"escaped path", repo, "my svc/(a)#b.yml", 1, 0, "https://github.com/acme/orders/blob/abc1234/my%20svc/%28a%29%23b.yml#L1"},
		{"GHES server", RepoInfo{ServerURL: "https://ghe.example.com/", Repository: "a/b", SHA: "abcdef0"}, "s.yml", 0, 0, "https://ghe.example.com/a/b/blob/abcdef0/s.yml"},
		{"outside the repository", repo, "../s.yml", 1, 1, ""},
		{"absolute", repo, "/abs/s.yml", 1, 1, ""},
		{"bad sha", RepoInfo{Repository: "a/b", SHA: "main)"}, "s.yml", 1, 1, ""},
		{"bad repository", RepoInfo{Repository: "a/b/c", SHA: "abcdef0"}, "s.yml", 1, 1, ""},
		{"javascript server", RepoInfo{ServerURL: "javascript:alert(1)", Repository: "a/b", SHA: "abcdef0"}, "s.yml", 1, 1, ""},
	}
	for _, tt := range tests {
		if got := tt.r.blobURL(tt.file, tt.line, tt.endLine); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.what, got, tt.want)
		}
	}
}

// bigSummary has n findings with multi-byte messages and n resources.
func bigSummary(n, maxBytes int) Summary {
	var fs diag.Findings
	var rs []Resource
	for i := range n {
		sev := []diag.Severity{diag.Error, diag.Warning, diag.Notice}[i%3]
		fs = append(fs, diag.Finding{Rule: "stream-batch-size", Severity: sev,
			Message: "値 " + strconv.Itoa(i) + " is out of range ✓ " + strings.Repeat("é", 40),
			Range:   diag.Range{File: "svc/serverless.yml", Start: diag.Pos{Line: i + 1, Col: 3}}})
		rs = append(rs, Resource{LogicalID: "Mapping" + strconv.Itoa(i), Type: "AWS::Lambda::EventSourceMapping", Stream: "arn:aws:kinesis:eu-west-1:1:stream/s", Function: "f"})
	}
	return Summary{
		Repo:     RepoInfo{Repository: "acme/orders", SHA: "0123456789abcdef0123456789abcdef01234567"},
		Services: []ServiceSummary{{Name: "orders", ConfigPath: "svc/serverless.yml", Findings: fs, Resources: rs, Deploy: "deployed\n"}},
		MaxBytes: maxBytes,
	}
}

var noteRe = regexp.MustCompile(`(\d+) of (\d+) (findings|compiled resources) are not listed here`)

func TestWriteSummary_truncation(t *testing.T) {
	tests := []struct {
		what                   string
		n, maxBytes            int
		wantFindingsOmitted    bool
		wantResourcesOmitted   bool
		wantEveryFindingListed bool
	}{
		{"fits", 50, 0, false, false, true},
		{"resources go first", 2000, 700_000, false, true, true},
		{"then findings, keeping errors", 4000, 200_000, true, true, false},
		{"default budget with huge input", 6000, 0, true, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.what, func(t *testing.T) {
			var b bytes.Buffer
			s := bigSummary(tt.n, tt.maxBytes)
			if err := WriteSummary(&b, s); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			budget := cmpOr(tt.maxBytes, DefaultSummaryBytes)
			if len(out) > budget {
				t.Fatalf("summary is %d bytes, budget %d", len(out), budget)
			}
			checkWholeRows(t, out)
			omitted := map[string]int{}
			for _, m := range noteRe.FindAllStringSubmatch(out, -1) {
				omitted[m[3]], _ = strconv.Atoi(m[1])
				if m[2] != strconv.Itoa(tt.n) {
					t.Errorf("note total %s, want %d", m[2], tt.n)
				}
			}
			if got := omitted["findings"] > 0; got != tt.wantFindingsOmitted {
				t.Errorf("findings omitted = %d", omitted["findings"])
			}
			if got := omitted["compiled resources"] > 0; got != tt.wantResourcesOmitted {
				t.Errorf("resources omitted = %d", omitted["compiled resources"])
			}
			if rows := strings.Count(out, "| ❌") + strings.Count(out, "| ⚠️") + strings.Count(out, "| ℹ️"); rows+omitted["findings"] != tt.n {
				t.Errorf("%d finding rows + %d omitted != %d findings", rows, omitted["findings"], tt.n)
			}
			if rows := strings.Count(out, "| Mapping"); rows+omitted["compiled resources"] != tt.n {
				t.Errorf("%d resource rows + %d omitted != %d resources", rows, omitted["compiled resources"], tt.n)
			}
			// Kept rows must be the most severe ones: a prefix of the
			// error, warning, notice order.
			kept := tt.n - omitted["findings"]
			nErr, nWarn := (tt.n+2)/3, (tt.n+1)/3
			wantRows := []int{min(kept, nErr), max(min(kept-nErr, nWarn), 0), max(kept-nErr-nWarn, 0)}
			gotRows := []int{strings.Count(out, "| ❌"), strings.Count(out, "| ⚠️"), strings.Count(out, "| ℹ️")}
			if d := cmp.Diff(wantRows, gotRows); d != "" {
				t.Errorf("rows per severity (-want +got):\n%s", d)
			}
			if tt.wantFindingsOmitted && !strings.Contains(out, "The SARIF file and the workflow artifact lists all of them") {
				t.Error("note does not say where the full list is")
			}
		})
	}
}

func cmpOr(a, b int) int {
	if a > 0 {
		return a
	}
	return b
}

// checkWholeRows fails if out has broken UTF-8 or a truncated table row.
func checkWholeRows(t *testing.T, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatal("summary is not valid UTF-8")
	}
	if !strings.HasSuffix(out, "\n") {
		t.Error("summary does not end with a newline")
	}
	for i, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "|") && !strings.HasSuffix(l, " |") {
			t.Fatalf("line %d is a cut table row: %q", i+1, l)
		}
	}
}

func TestWriteSummary_fixedTextTooLarge(t *testing.T) {
	s := Summary{Services: []ServiceSummary{{Name: strings.Repeat("名", 300), Findings: findings(diag.Error, 5, "s.yml")}}, MaxBytes: 600}
	var b bytes.Buffer
	if err := WriteSummary(&b, s); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if len(out) > 600 || !strings.Contains(out, "was cut short") {
		t.Errorf("%d bytes:\n%s", len(out), out)
	}
	checkWholeRows(t, out)
}

func TestWriteSummary_deployDroppedBeforeFindings(t *testing.T) {
	s := bigSummary(30, 0)
	s.Services[0].Resources = nil
	var full bytes.Buffer
	if err := WriteSummary(&full, s); err != nil {
		t.Fatal(err)
	}
	s.Services[0].Deploy = strings.Repeat("deploy log line\n", 2000)
	s.MaxBytes = full.Len() + 500
	var b bytes.Buffer
	if err := WriteSummary(&b, s); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, "the deploy report was left out") || strings.Contains(out, "findings are not listed") {
		t.Errorf("want deploy dropped and all findings kept:\n%s", out)
	}
}

func TestWriteSummary_empty(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSummary(&b, Summary{}); err != nil {
		t.Fatal(err)
	}
	want := "## stream-events\n\n**0 errors**, 0 warnings, 0 notices in 0 services.\n\n"
	if d := cmp.Diff(want, b.String()); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestWriteSummary_droppedTableLeavesOnlyItsNote: when a service's rows are
// all dropped, its table head goes with them and only the note remains.
func TestWriteSummary_droppedTableLeavesOnlyItsNote(t *testing.T) {
	var services []ServiceSummary
	for i := range 300 {
		var fs diag.Findings
		for j := range 10 {
			fs = append(fs, diag.Finding{Rule: "schema-type", Severity: diag.Error, Message: strings.Repeat("m", 80),
				Range: diag.Range{File: "svc" + strconv.Itoa(i) + "/serverless.yml", Start: diag.Pos{Line: j + 1, Col: 1}}})
		}
		services = append(services, ServiceSummary{Name: "svc" + strconv.Itoa(i), Findings: fs})
	}
	var b bytes.Buffer
	if err := WriteSummary(&b, Summary{Services: services, MaxBytes: 60_000}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	heads := strings.Count(out, "| Severity | Location | Rule | Message |")
	fullyDropped := strings.Count(out, "10 of 10 findings are not listed")
	if fullyDropped == 0 || heads+fullyDropped > 300 {
		t.Errorf("%d table heads and %d fully dropped tables for 300 services", heads, fullyDropped)
	}
}
