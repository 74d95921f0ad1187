package loader

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/lazyre"
	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/vars"
)

// withDotenv mirrors Serverless v3's useDotenv (lib/cli/load-dotenv.js):
// when the config sets it, the variables of .env.<stage> (or, when that
// file is missing, .env) in the service's folder are loaded with dotenv
// and expanded with dotenv-expand, as Serverless 3.40.0 does, and
// ${env:...} sees the result. The stage is --stage, else provider.stage as
// written, else "dev", as Serverless picks it before it resolves anything.
//
// A reference to a secret name (vars.SecretEnv) inside the file is refused:
// the variable that needs it is left unset, so ${env:...} of it takes its
// fallback or is unresolved, and the returned state reports it at the
// reference. Assigning a secret name in the file is harmless: ${env:...}
// refuses that name whatever its value.
func withDotenv(root *node.Node, o vars.Options, read func(string) ([]byte, error)) (vars.Options, *dotenvState) {
	if !root.Get("useDotenv").Truthy() {
		return o, nil
	}
	stage := o.Stage
	if stage == "" {
		stage = "dev"
		if s := root.Path("provider", "stage"); s.IsString() && s.Str != "" {
			stage = s.Str
		}
	}
	var data []byte
	var path string
	for _, name := range []string{".env." + stage, ".env"} {
		path = filepath.Join(o.ServiceDir, name)
		b, err := read(path)
		if err == nil {
			data = b
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			break
		}
	}
	if data == nil {
		return o, nil
	}
	st := expandDotenv(filepath.ToSlash(path), string(data), o.Getenv)
	real := o.Getenv
	o.Getenv = func(k string) (string, bool) {
		if _, ok := st.refused[k]; ok {
			st.read[k] = true
			return "", false
		}
		if v, ok := st.vals[k]; ok {
			return v, true
		}
		if real != nil {
			return real(k)
		}
		return "", false
	}
	return o, st
}

// dotenvState is a loaded .env file: the values dotenv-expand leaves in
// process.env for its keys, and the keys left unset because they read a
// secret.
type dotenvState struct {
	file    string
	src     []byte
	vals    map[string]string
	refused map[string]diag.Finding // the finding, severity set by findings
	read    map[string]bool         // refused keys that ${env:...} asked for
	other   diag.Findings           // findings that do not depend on use
}

// findings reports every refused key: an error when the configuration
// reads it, a warning when it does not (a .env file may serve other tools,
// and nothing of the secret reaches the template then).
func (st *dotenvState) findings() diag.Findings {
	if st == nil {
		return nil
	}
	out := append(diag.Findings(nil), st.other...)
	for k, f := range st.refused {
		f.Severity = diag.Warning
		if st.read[k] {
			f.Severity = diag.Error
		}
		out = append(out, f)
	}
	return out
}

// dotenvLine is the regular expression of dotenv 16's parse (lib/main.js
// LINE) with JavaScript's \s and "." spelled out (Go's are ASCII, and "."
// stops only at "\n"). Go's regexp picks the submatches a backtracking
// engine picks. JavaScript's multi-line ^ and $ also hold at U+2028 and
// U+2029: parseDotenvText tries the expression at those line starts
// itself, and the end may take that separator, which "\s*" would have
// taken anyway.
const jsSpace = `[\t\n\v\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}]`

var dotenvLine = lazyre.New(strings.NewReplacer(`\s`, jsSpace, `.*`, `[^\n\r\x{2028}\x{2029}]*`).Replace(
	`(?m)\A\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*` + "`(?:\\\\`|[^`])*`" + `|[^#\r\n]+)?\s*(?:#.*)?(?:$|[\x{2028}\x{2029}])`))

func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// dotenvEntry is one assignment of the file.
type dotenvEntry struct {
	key, value string
	at         int // byte offset of the value as written (after "=")
	written    string
}

// parseDotenvText is dotenv 16's parse: text is src with "\r\n" and "\r"
// turned into "\n", as dotenv does, and the offsets are into it.
func parseDotenvText(src string) (text string, entries []dotenvEntry) {
	text = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(strings.ToValidUTF8(src, "\uFFFD"))
	for p := 0; p < len(text); {
		var m []int
		if r, _ := utf8.DecodeLastRuneInString(text[:p]); p == 0 || r == '\n' || r == '\u2028' || r == '\u2029' {
			m = dotenvLine.Re().FindStringSubmatchIndex(text[p:])
		}
		if m == nil {
			p = nextLineStart(text, p)
			continue
		}
		for i := range m {
			if m[i] >= 0 {
				m[i] += p
			}
		}
		p = m[1]
		e := dotenvEntry{key: text[m[2]:m[3]], at: m[3]}
		if m[4] >= 0 {
			e.at, e.written = m[4], text[m[4]:m[5]]
		}
		v := strings.TrimFunc(e.written, isJSSpace)
		quote := byte(0)
		if v != "" {
			quote = v[0]
		}
		if len(v) >= 2 && (quote == '"' || quote == '\'' || quote == '`') && v[len(v)-1] == quote {
			v = v[1 : len(v)-1]
		}
		if quote == '"' {
			v = strings.NewReplacer(`\n`, "\n", `\r`, "\r").Replace(v)
		}
		e.value = v
		entries = append(entries, e)
	}
	return text, entries
}

// nextLineStart is the offset after the next line terminator from p, as
// JavaScript's multi-line ^ sees them (the text has no "\r" left), or
// len(text).
func nextLineStart(text string, p int) int {
	for i, r := range text[p:] {
		if r == '\n' || r == '\u2028' || r == '\u2029' {
			return p + i + utf8.RuneLen(r)
		}
	}
	return len(text)
}

// Limits of dotenv-expand's recursion. Node's stack ends it after about
// 4,000 replacements in one value ("Maximum call stack size exceeded",
// which stops Serverless); the caps on a value's length and on the bytes
// scanned for the whole file keep a value that doubles at each step from
// exhausting memory or time first (Node stops at its own string limit).
const (
	maxDotenvSteps = 4000
	maxDotenvLen   = 1 << 20
	maxDotenvWork  = 64 << 20
)

// expandDotenv loads a .env file as dotenv.config and dotenv-expand 10's
// expand do: dotenv adds the file's keys that the environment lacks, then
// every key of the file, in JavaScript's property order, is set to its
// environment value interpolated.
func expandDotenv(file, src string, getenv func(string) (string, bool)) *dotenvState {
	text, entries := parseDotenvText(src)
	st := &dotenvState{file: file, src: []byte(src), vals: map[string]string{},
		refused: map[string]diag.Finding{}, read: map[string]bool{}}
	last := map[string]int{}
	var keys []string
	for i, e := range entries {
		if e.key == "__proto__" { // a JavaScript object drops it
			continue
		}
		if _, ok := last[e.key]; !ok {
			keys = append(keys, e.key)
		}
		last[e.key] = i
	}
	keys = jsKeyOrder(keys)
	if getenv == nil {
		getenv = func(string) (string, bool) { return "", false }
	}
	// environment is process.env once dotenv has populated it.
	environment := func(k string) string {
		if v, ok := getenv(k); ok {
			return v
		}
		if i, ok := last[k]; ok {
			return entries[i].value
		}
		return ""
	}
	work := maxDotenvWork
	parsed := map[string]string{}
	for _, k := range keys {
		parsed[k] = entries[last[k]].value
	}
	for _, k := range keys {
		e := entries[last[k]]
		v, secret, err := interpolate(environment(k), environment, parsed, &work)
		switch {
		case secret != "":
			st.refused[k] = diag.Finding{Rule: vars.RuleSecretEnv, Range: st.rangeAt(text, e, secret),
				Message: fmt.Sprintf("%s is left unset: it reads %s, which would end up in the template artifact (%s)", k, secret, vars.SecretEnv(secret))}
			delete(parsed, k)
			continue
		case err != "":
			st.other = append(st.other, diag.Finding{Rule: vars.RuleCycle, Severity: diag.Error, Range: st.rangeAt(text, e, ""),
				Message: fmt.Sprintf("%s cannot be expanded: %s (Serverless stops with a RangeError)", k, err)})
			delete(parsed, k)
			continue
		}
		parsed[k] = strings.ReplaceAll(v, `\$`, `$`)
	}
	for k, v := range parsed {
		st.vals[k] = v
	}
	return st
}

// interpolate is dotenv-expand 10's _interpolate, a loop for its tail
// recursion: the right-most unescaped "$" that starts a reference is
// replaced (at the first occurrence of the reference's text, with
// String.prototype.replace's "$" patterns) by the environment's value, the
// default, the parsed value or "", and the result is interpolated again.
// It stops at the first secret name it would read and returns it, and at
// the limits above with err set.
func interpolate(v string, environment func(string) string, parsed map[string]string, work *int) (out, secret, err string) {
	for step := 0; ; step++ {
		i := lastUnescapedDollar(v)
		if i < 0 {
			return v, "", ""
		}
		m := dotenvRef.FindStringSubmatch(v[i:])
		if m == nil {
			return v, "", ""
		}
		if vars.SecretEnv(m[1]) != "" {
			return "", m[1], ""
		}
		*work -= len(v)
		if step >= maxDotenvSteps || len(v) > maxDotenvLen || *work < 0 {
			return "", "", "its references do not end, or grow too long"
		}
		repl := environment(m[1])
		if repl == "" {
			repl = m[2]
		}
		if repl == "" {
			repl = parsed[m[1]]
		}
		v = jsReplaceFirst(v, m[0], repl)
	}
}

// dotenvRef is dotenv-expand's group, anchored: the caller starts it at an
// unescaped "$".
var dotenvRef = lazyre.New(`^\$\{?(\w+)(?::-([^}\\]*))?\}?`)

func lastUnescapedDollar(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '$' && (i == 0 || s[i-1] != '\\') {
			return i
		}
	}
	return -1
}

// jsReplaceFirst is s.replace(pat, repl) with a string pattern: the first
// occurrence only, and "$$", "$&", "$`" and "$'" in repl are expanded.
func jsReplaceFirst(s, pat, repl string) string {
	i := strings.Index(s, pat)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.WriteString(s[:i])
	for j := 0; j < len(repl); j++ {
		if repl[j] == '$' && j+1 < len(repl) {
			switch repl[j+1] {
			case '$':
				b.WriteByte('$')
				j++
				continue
			case '&':
				b.WriteString(pat)
				j++
				continue
			case '`':
				b.WriteString(s[:i])
				j++
				continue
			case '\'':
				b.WriteString(s[i+len(pat):])
				j++
				continue
			}
		}
		b.WriteByte(repl[j])
	}
	b.WriteString(s[i+len(pat):])
	return b.String()
}

// jsKeyOrder is the order of a JavaScript object's keys: array indices
// first, ascending, then the others as inserted.
func jsKeyOrder(keys []string) []string {
	var idx, other []string
	var nums []uint64
	for _, k := range keys {
		if n, ok := arrayIndex(k); ok {
			j := 0
			for j < len(nums) && nums[j] < n {
				j++
			}
			nums = append(nums[:j], append([]uint64{n}, nums[j:]...)...)
			idx = append(idx[:j], append([]string{k}, idx[j:]...)...)
			continue
		}
		other = append(other, k)
	}
	return append(idx, other...)
}

func arrayIndex(k string) (uint64, bool) {
	if k == "" || (len(k) > 1 && k[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseUint(k, 10, 64)
	return n, err == nil && n < 1<<32-1
}

// rangeAt is where a finding about entry e goes: at the reference to name
// in the value as written when it is there, else at the value.
func (st *dotenvState) rangeAt(text string, e dotenvEntry, name string) diag.Range {
	off := e.at
	if name != "" {
		for _, ref := range []string{"$" + name, "${" + name} {
			if j := strings.Index(e.written, ref); j >= 0 {
				off = e.at + j
				break
			}
		}
	}
	line := 1 + strings.Count(text[:off], "\n")
	col := 1 + utf8.RuneCountInString(text[strings.LastIndexByte(text[:off], '\n')+1:off])
	return diag.Range{File: st.file, Start: diag.Pos{Line: line, Col: col}}
}
