// Package textsafe makes untrusted text (YAML values, file names, AWS
// error messages) safe where it is shown: in Markdown (job summaries,
// pull-request comments), in workflow commands (annotations, groups,
// masks) and in plain output that a GitHub runner reads line by line.
//
// Escaping is the last step before output. Redaction of secrets must come
// first, on the plain text: an escaper rewrites characters ("%" becomes
// "%25", "_" becomes "\_"), so a secret escaped before it is redacted no
// longer matches the value the redactor looks for and would leak. So:
// redact, then escape, then write; never escape twice, and never redact
// escaped text.
package textsafe

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// zwsp is U+200B ZERO WIDTH SPACE: invisible, zero columns wide, and not
// white space to the runner (.NET's char.IsWhiteSpace), so it splits a
// token the runner looks for without changing what a reader sees.
const zwsp = "\u200b"

// Markdown escapes text for GitHub-flavoured Markdown prose and table
// cells, so it shows as typed and adds no markup:
//   - "|" would end a table cell, a line break the row or paragraph: "|"
//     is escaped and "\n", "\r\n" and "\r" become <br>, which cells allow;
//   - "<" and ">" could open raw HTML (an HTML comment hides the rest of
//     the page) and "&" an entity: they become &lt; &gt; &amp;;
//   - "\", "`", "*", "_", "[", "]", "~" and "#" would escape, format,
//     link, strike through or make a heading: they get a backslash;
//   - "@name" would mention, and notify, a user or team: a zero-width
//     space follows the "@".
//
// It is not for text inside a code span, where backslashes show: see
// MarkdownCode.
func Markdown(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		// Bytes, not runes: every escaped character is ASCII, and ranging
		// over runes would rewrite invalid UTF-8.
		switch c := s[i]; c {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '|', '\\', '`', '*', '_', '[', ']', '~', '#':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '@':
			b.WriteString("@" + zwsp)
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			b.WriteString("<br>")
		case '\n':
			b.WriteString("<br>")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// MarkdownLine is Markdown on one line: runs of white space, line breaks
// included, become one space (a table cell, a list item).
func MarkdownLine(s string) string {
	return Markdown(strings.Join(strings.Fields(s), " "))
}

// MarkdownCode makes text safe between the backticks of a code span in a
// table cell, where nothing but the backtick and, in a table, "|" is
// special: a backtick becomes "'" (it would end the span; a code span
// cannot escape it), "|" is escaped (GitHub splits cells before it parses
// spans) and line breaks become spaces (a span cannot hold <br>).
func MarkdownCode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '`':
			b.WriteByte('\'')
		case '|':
			b.WriteString(`\|`)
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			b.WriteByte(' ')
		case '\n':
			b.WriteByte(' ')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// CommandData escapes a workflow command's message (after the second
// "::"), as actions/toolkit's command.ts does: "%", "\r" and "\n" are
// percent-encoded, so the message cannot end the line and start another
// command. It is the exact inverse of the runner's unescaping
// (actions/runner ActionCommand.cs, TryParseV2: %0D, %0A, then %25; for
// properties also %3A and %2C before %25): "%25" is decoded last, so one
// left-to-right pass here round-trips.
func CommandData(s string) string { return escapeCommand(s, false) }

// CommandProperty escapes a workflow command's property value (file,
// title...): CommandData, and ":" and "," too, so a value cannot end the
// property list or add a property.
func CommandProperty(s string) string { return escapeCommand(s, true) }

func escapeCommand(s string, property bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '%':
			b.WriteString("%25")
		case c == '\r':
			b.WriteString("%0D")
		case c == '\n':
			b.WriteString("%0A")
		case property && c == ':':
			b.WriteString("%3A")
		case property && c == ',':
			b.WriteString("%2C")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Neutralize defuses workflow commands in text written for people (lint
// findings, source snippets, CloudFormation reasons) to a log a GitHub
// runner reads. The runner acts on a line that, trimmed of white space,
// starts with "::" (::error::, ::add-mask::, ::stop-commands::...) and on
// "##[" anywhere in a line (##[error], ##[group], ##[set-output ...]); it
// splits lines at "\n", "\r" and "\r\n". Neutralize puts a zero-width
// space between the two colons of such a line start and between the two
// "#" of every "##[": the text reads the same, takes the same columns,
// and is no longer a command. Nothing else changes.
func Neutralize(s string) string {
	if !strings.Contains(s, "::") && !strings.Contains(s, "##[") {
		return s
	}
	s = strings.ReplaceAll(s, "##[", "#"+zwsp+"#[")
	var b strings.Builder
	start := true // at the start of a line, white space skipped so far
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\n' || r == '\r':
			start = true
		case start && unicode.IsSpace(r):
		case start && strings.HasPrefix(s[i:], "::"):
			b.WriteString(":" + zwsp)
			i++
			start = false
			continue
		default:
			start = false
		}
		b.WriteString(s[i : i+n])
		i += n
	}
	return b.String()
}

// Line makes text from user files or AWS (a stack output, a failure
// reason, a deploy event) one inert line of a log a runner reads: each line
// break ("\r\n", "\r" or "\n") becomes a space, so the text cannot start a
// line of its own, and workflow commands are defused (Neutralize).
func Line(s string) string {
	if strings.ContainsAny(s, "\r\n") {
		s = strings.ReplaceAll(s, "\r\n", " ")
		s = strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
	}
	return Neutralize(s)
}

// JSON defuses the one workflow command that encoded JSON can hold: a
// runner acts on "##[" anywhere in a line, also inside a JSON string of
// `lint --format json` printed by a run: step. It writes the second "#" of
// every "##[" as the JSON escape \u0023, which every JSON reader decodes to
// the same string; outside strings JSON has no "#", and no line of it
// starts with "::". data must be JSON text.
func JSON(data []byte) []byte {
	if !bytes.Contains(data, []byte("##[")) {
		return data
	}
	return bytes.ReplaceAll(data, []byte("##["), []byte(`#\u0023[`))
}
