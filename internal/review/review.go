// Package review builds the body of the sticky pull-request comment: the
// hidden marker that finds it again, the verdict against fail-on, then per
// service the findings and the plan with its hazards (the most important
// first), and a link to the run, within GitHub's comment size limit. It is
// pure: plain values in, Markdown out.
package review

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/plan"
	"github.com/stream-events/stream-events/internal/textsafe"
)

// MaxBody is GitHub's limit on a comment body, in characters.
const MaxBody = 65536

// Service is what one service of the run reports.
type Service struct {
	Name     string // the service's name
	Config   string // its config file, relative to the repository
	Findings diag.Findings
	Plan     plan.Plan
	// PlanNote says why there is no plan (e.g. "no AWS credentials: plan
	// skipped"); empty when Plan is the plan.
	PlanNote string
	// ChangeSet is the change set a preview created, as trusted Markdown
	// (values from AWS already escaped): with deploy: preview it is the
	// plan, and shown instead of one.
	ChangeSet string
}

// Input is everything the comment says.
type Input struct {
	Marker   string        // the hidden HTML comment, first line of the body
	FailOn   diag.Severity // the fail-on threshold; 0 means never
	Services []Service
	RunURL   string // the workflow run; linked when an http(s) URL
	// Limit is the largest body in bytes (which never count fewer than
	// GitHub's characters); 0 means MaxBody.
	Limit int
}

// item is one finding or plan entry, ranked by severity for the budget.
type item struct {
	svc      int
	severity diag.Severity // plan entries without hazards rank after notices
	plan     bool
	text     string
	keep     bool
}

// Body returns the comment body.
func Body(in Input) string {
	limit := in.Limit
	if limit <= 0 {
		limit = MaxBody
	}
	head := in.Marker + "\n" + verdict(in) + "\n\n"
	foot := runLink(in.RunURL)
	items := collect(in)
	headers := make([]string, len(in.Services))
	size := len(head) + len(foot)
	for i, s := range in.Services {
		headers[i] = serviceHeader(s)
		size += len(headers[i]) + len(planHeader(s)) + len(planEnd(s))
	}
	// The most severe items go in first, whichever service they belong to;
	// the room for the note of what was left out is kept back.
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(items[a].severity, items[b].severity) })
	reserve := len(omittedNote(len(items), len(items)))
	omittedF, omittedP := 0, 0
	for _, i := range order {
		if size+len(items[i].text)+reserve <= limit {
			items[i].keep = true
			size += len(items[i].text)
		} else if items[i].plan {
			omittedP++
		} else {
			omittedF++
		}
	}
	var b strings.Builder
	b.WriteString(head)
	for si, s := range in.Services {
		b.WriteString(headers[si])
		for _, it := range items {
			if it.svc == si && !it.plan && it.keep {
				b.WriteString(it.text)
			}
		}
		b.WriteString(planHeader(s))
		for _, it := range items {
			if it.svc == si && it.plan && it.keep {
				b.WriteString(it.text)
			}
		}
		b.WriteString(planEnd(s))
	}
	if omittedF+omittedP > 0 {
		b.WriteString(omittedNote(omittedF, omittedP))
	}
	b.WriteString(foot)
	return clip(b.String(), limit)
}

func collect(in Input) []item {
	var items []item
	for si, s := range in.Services {
		fs := slices.Clone(s.Findings.Sorted())
		slices.SortStableFunc(fs, func(a, b diag.Finding) int { return cmp.Compare(a.Severity, b.Severity) })
		for _, f := range fs {
			items = append(items, item{svc: si, severity: f.Severity, text: findingLine(f)})
		}
		if s.ChangeSet != "" {
			continue // the change set is the plan
		}
		entries := slices.Clone(s.Plan)
		slices.SortStableFunc(entries, func(a, b plan.Entry) int { return cmp.Compare(worst(a), worst(b)) })
		for _, e := range entries {
			items = append(items, item{svc: si, severity: worst(e), plan: true, text: plan.EntryMarkdown(e)})
		}
	}
	return items
}

// worst is the most severe hazard of e; an entry without hazards ranks
// after every notice.
func worst(e plan.Entry) diag.Severity {
	w := diag.Notice + 1
	for _, h := range e.Hazards {
		if s, ok := diag.ParseSeverity(h.Severity); ok && s < w {
			w = s
		}
	}
	return w
}

func verdict(in Input) string {
	var fs diag.Findings
	var hazards [4]int
	for _, s := range in.Services {
		fs = append(fs, s.Findings...)
		for _, sev := range []diag.Severity{diag.Error, diag.Warning, diag.Notice} {
			hazards[sev] += s.Plan.Count(sev)
		}
	}
	counts := diag.Totals(fs.Count(diag.Error), fs.Count(diag.Warning), fs.Count(diag.Notice)) +
		"; the plan has " + diag.Totals(hazards[diag.Error], hazards[diag.Warning], hazards[diag.Notice])
	if in.FailOn == 0 {
		return "**stream-events:** " + counts + " (fail-on: never)."
	}
	failing := fs.AtLeast(in.FailOn)
	for _, s := range in.Services {
		failing = failing || s.Plan.AtLeast(in.FailOn)
	}
	if failing {
		return fmt.Sprintf("❌ **stream-events fails** at fail-on: %s. Findings: %s.", in.FailOn, counts)
	}
	return fmt.Sprintf("✅ **stream-events passes** at fail-on: %s. Findings: %s.", in.FailOn, counts)
}

func serviceHeader(s Service) string {
	h := "### Service " + textsafe.MarkdownLine(s.Name)
	if s.Config != "" {
		h += " (" + textsafe.MarkdownLine(s.Config) + ")"
	}
	h += "\n\n"
	if len(s.Findings) == 0 {
		h += "No findings.\n"
	}
	return h
}

func planHeader(s Service) string {
	switch {
	case s.ChangeSet != "":
		return "\n**Change set:**\n\n" + strings.TrimRight(s.ChangeSet, "\n") + "\n"
	case s.PlanNote != "":
		return "\n**Plan:** " + textsafe.MarkdownLine(s.PlanNote) + "\n"
	case len(s.Plan) == 0:
		return "\n**Plan:** no changes to the stream resources.\n"
	}
	return "\n**Plan:** " + s.Plan.Summary() + ".\n\n"
}

func planEnd(Service) string { return "\n" }

func findingLine(f diag.Finding) string {
	loc := f.Range.File
	if f.Range.Start.Line > 0 {
		loc += ":" + strconv.Itoa(f.Range.Start.Line) + ":" + strconv.Itoa(f.Range.Start.Col)
	}
	return fmt.Sprintf("- %s %s: %s (%s)\n", diag.Severity.Badge(f.Severity), textsafe.MarkdownLine(loc), textsafe.MarkdownLine(f.Message), textsafe.MarkdownLine(f.Rule))
}

func omittedNote(findings, entries int) string {
	return fmt.Sprintf("> **Note:** %s and %s are not shown, to stay within GitHub's %d-character comment limit; the job summary and the SARIF upload list all of them.\n\n",
		diag.Plural(findings, "finding", "findings"), diag.Plural(entries, "plan entry", "plan entries"), MaxBody)
}

func runLink(u string) string {
	p, err := url.Parse(u)
	if u == "" || err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" || strings.ContainsAny(u, " ()<>[]\n") {
		return ""
	}
	return "[Workflow run](" + u + ")\n"
}

// clip is the last guard of the limit (the headers alone could pass it):
// it cuts at a rune boundary and says so.
func clip(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	const cut = "\n\n> **Note:** cut here to stay within GitHub's comment limit.\n"
	s = s[:max(0, limit-len(cut))]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + cut
}
