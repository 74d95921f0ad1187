package annotate

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/stream-events/stream-events/internal/diag"
)

// SARIF constants. GitHub code scanning documents which properties it reads:
// https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
const (
	sarifSchemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion   = "2.1.0"
	toolName       = "stream-events"
	toolInfoURI    = "https://github.com/stream-events/stream-events"
	srcRootID      = "%SRCROOT%"
	// maxDescription is GitHub's limit for rule descriptions.
	maxDescription = 1024
	// unclassifiedRule stands in for an empty Finding.Rule: GitHub rejects
	// empty strings in required properties.
	unclassifiedRule = "unclassified"
)

// RuleInfo describes one rule for the SARIF rules table. Severity is the
// rule's default level; Help is Markdown shown on the alert page; HelpURI,
// when an absolute URI, links the rule's documentation.
type RuleInfo struct {
	ID, Name    string
	Severity    diag.Severity
	Description string
	Help        string
	HelpURI     string
}

// WriteSARIF writes fs as a SARIF 2.1.0 log with one run that GitHub code
// scanning accepts. rules describes every rule the tool can report, in a
// stable order; a finding whose rule is missing from rules gets a generic
// entry so the log stays valid. toolVersion fills driver.version and, when it
// is a semantic version (an optional leading "v" is dropped),
// driver.semanticVersion. src maps Range.File to file bytes and feeds the
// partial fingerprints; it may be nil.
//
// File paths should already be relative to the repository root (see
// Relativize): they are written relative to %SRCROOT%, which is left
// without a uri so the log does not depend on the machine it was made on.
func WriteSARIF(w io.Writer, fs diag.Findings, rules []RuleInfo, toolVersion string, src map[string][]byte) error {
	sorted := fs.Sorted()
	tab := newRuleTable(rules, sorted)
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:            toolName,
			InformationURI:  toolInfoURI,
			Version:         toolVersion,
			SemanticVersion: semanticVersion(toolVersion),
			Rules:           tab.rules,
		}},
		OriginalURIBaseIDs: map[string]sarifArtifactLocation{
			srcRootID: {Description: &sarifText{Text: "The root of the repository that holds the Serverless configuration."}},
		},
		Results:    sarifResults(sorted, tab, newSourceLines(src)),
		ColumnKind: "unicodeCodePoints",
	}
	return encodeJSON(w, sarifLog{Schema: sarifSchemaURI, Version: sarifVersion, Runs: []sarifRun{run}})
}

// ruleTable is the driver's rules array plus each rule's index in it.
type ruleTable struct {
	rules []sarifRule
	index map[string]int
}

// newRuleTable lists the given rules in order (first wins on duplicate IDs),
// then a generic entry for every rule used by a finding but not described.
func newRuleTable(rules []RuleInfo, fs diag.Findings) ruleTable {
	t := ruleTable{rules: []sarifRule{}, index: map[string]int{}}
	for _, r := range rules {
		t.add(r)
	}
	for _, f := range fs {
		id := ruleID(f)
		if _, ok := t.index[id]; !ok {
			t.add(RuleInfo{ID: id, Severity: severityOf(f)})
		}
	}
	return t
}

func (t *ruleTable) add(r RuleInfo) {
	if r.ID == "" {
		r.ID = unclassifiedRule
	}
	if _, ok := t.index[r.ID]; ok {
		return
	}
	t.index[r.ID] = len(t.rules)
	t.rules = append(t.rules, sarifRuleFor(r))
}

func ruleID(f diag.Finding) string { return cmp.Or(f.Rule, unclassifiedRule) }

// sarifRuleFor fills every property GitHub requires, falling back to
// generated text: GitHub rejects empty descriptions and help.
func sarifRuleFor(r RuleInfo) sarifRule {
	desc := cmp.Or(strings.TrimSpace(r.Description), "Findings reported by stream-events under the rule \""+r.ID+"\".")
	help := cmp.Or(strings.TrimSpace(r.Help), desc)
	helpURI := absoluteURI(r.HelpURI)
	markdown := help
	if helpURI != "" {
		markdown += "\n\n[Documentation](" + helpURI + ")"
	}
	return sarifRule{
		ID:                   r.ID,
		Name:                 cmp.Or(r.Name, pascalCase(r.ID)),
		ShortDescription:     sarifText{Text: truncateRunes(firstSentence(desc), maxDescription)},
		FullDescription:      sarifText{Text: truncateRunes(desc, maxDescription)},
		Help:                 sarifMarkdown{Text: help, Markdown: markdown},
		HelpURI:              helpURI,
		DefaultConfiguration: sarifConfiguration{Level: ruleLevel(r.Severity)},
		Properties: sarifRuleProperties{
			Tags:            []string{"serverless", "cloudformation", "stream"},
			Precision:       "very-high",
			ProblemSeverity: problemSeverity(r.Severity),
		},
	}
}

// sarifResults converts findings, numbering fingerprint collisions so that
// identical lines in one file still get distinct, stable fingerprints.
func sarifResults(fs diag.Findings, tab ruleTable, lines *sourceLines) []sarifResult {
	out := make([]sarifResult, 0, len(fs))
	seen := map[string]int{}
	memo := map[hashKey]string{}
	for _, f := range fs {
		id := ruleID(f)
		hash := lineHash(f, id, lines, memo)
		seen[hash]++
		res := sarifResult{
			RuleID:    id,
			RuleIndex: tab.index[id],
			Level:     resultLevel(severityOf(f)),
			Message:   sarifText{Text: cmp.Or(f.Message, id)},
			PartialFingerprints: map[string]string{
				"primaryLocationLineHash": hash + ":" + strconv.Itoa(seen[hash]),
			},
		}
		if loc, ok := sarifLocationFor(f.Range); ok {
			res.Locations = []sarifLocation{loc}
		}
		out = append(out, res)
	}
	return out
}

// lineHash fingerprints a finding by rule, file and the trimmed text of its
// first line, not by line number, so the alert survives lines being added
// above it. Without source it falls back to the message.
// Hashes are remembered per rule and line, and a line is hashed in place:
// many findings on one multi-megabyte line would otherwise copy and hash
// it once each.
func lineHash(f diag.Finding, rule string, lines *sourceLines, memo map[hashKey]string) string {
	key := hashKey{rule, f.Range.File, f.Range.Start.Line}
	content, ok := lines.line(f.Range.File, f.Range.Start.Line)
	if !ok {
		content = []byte("message:" + f.Message)
	} else if h, ok := memo[key]; ok {
		return h
	}
	h := sha256.New()
	h.Write([]byte(rule + "\x00" + f.Range.File + "\x00"))
	h.Write(bytes.TrimSpace(content))
	sum := hex.EncodeToString(h.Sum(nil)[:8])
	if ok {
		memo[key] = sum
	}
	return sum
}

type hashKey struct {
	rule, file string
	line       int
}

// sarifLocationFor returns the physical location of r. A finding without a
// file has none. A finding without a line is pinned to line 1, because
// GitHub requires startLine.
func sarifLocationFor(r diag.Range) (sarifLocation, bool) {
	if r.File == "" {
		return sarifLocation{}, false
	}
	reg := &sarifRegion{StartLine: max(r.Start.Line, 1)}
	if r.Start.Line >= 1 && r.Start.Col >= 1 {
		end := endPos(r)
		reg.StartColumn = r.Start.Col
		reg.EndLine = max(end.Line, r.Start.Line)
		reg.EndColumn = max(end.Col, 1)
		if reg.EndLine == reg.StartLine {
			reg.EndColumn = max(reg.EndColumn, reg.StartColumn)
		}
	}
	return sarifLocation{PhysicalLocation: sarifPhysicalLocation{
		ArtifactLocation: artifactLocation(r.File),
		Region:           reg,
	}}, true
}

// artifactLocation percent-encodes file as a URI reference. Relative paths
// hang off %SRCROOT%; absolute ones become file: URIs.
func artifactLocation(file string) sarifArtifactLocation {
	p := (&url.URL{Path: file}).EscapedPath()
	if path.IsAbs(file) {
		return sarifArtifactLocation{URI: "file://" + p}
	}
	return sarifArtifactLocation{URI: strings.TrimPrefix(p, "./"), URIBaseID: srcRootID}
}

func resultLevel(s diag.Severity) string {
	switch s {
	case diag.Warning:
		return "warning"
	case diag.Notice:
		return "note"
	}
	return "error"
}

// ruleLevel maps a rule's default severity; an unset one is SARIF's default.
func ruleLevel(s diag.Severity) string {
	if s == 0 {
		return "warning"
	}
	return resultLevel(s)
}

// problemSeverity is GitHub's own severity scale for non-security alerts.
func problemSeverity(s diag.Severity) string {
	switch s {
	case diag.Error:
		return "error"
	case diag.Notice:
		return "recommendation"
	}
	return "warning"
}

// semanticVersion returns v without a leading "v" if it is a SemVer 2.0.0
// version, and "" otherwise (e.g. "dev", "(devel)"), since the schema
// requires semanticVersion to be one.
func semanticVersion(v string) string {
	re := regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
		`(-(0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(\.(0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*)?` +
		`(\+[0-9a-zA-Z-]+(\.[0-9a-zA-Z-]+)*)?$`)
	v = strings.TrimPrefix(v, "v")
	if !re.MatchString(v) {
		return ""
	}
	return v
}

// absoluteURI returns s if it is an absolute URI, as the schema's "uri"
// format demands of helpUri, and "" otherwise.
func absoluteURI(s string) string {
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() {
		return ""
	}
	return s
}

// pascalCase turns a kebab-case rule ID into a SARIF rule name:
// "stream-batch-size" → "StreamBatchSize".
func pascalCase(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		r, n := utf8.DecodeRuneInString(part)
		b.WriteRune(unicode.ToUpper(r))
		b.WriteString(part[n:])
	}
	return cmp.Or(b.String(), "Unclassified")
}

// firstSentence returns text up to and including the first ". ", which is
// what GitHub shows as a rule's short description.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

// truncateRunes cuts s to at most n code points, never inside a character.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
