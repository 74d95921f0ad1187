package yamlsrc

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// js-yaml reads the escape "\/" of a double-quoted scalar as "/", as YAML
// 1.2 says; yaml.v3 refuses the file ("found unknown escape character"). So
// that such a file reads as Serverless reads it, the slow path stands in for
// each "\/" with another escape of the same length (so every column stays
// put) that the file does not use, and mends the values after decoding: in
// a double-quoted scalar the stand-in's character becomes "/", elsewhere
// (where a backslash is just a backslash) its two bytes become "\/" again.

// slashStandIn is the escape that stood in for "\/" ('a' for "\a"), and the
// character yaml.v3 decodes it to; a zero escape stood in for nothing.
type slashStandIn struct {
	escape  byte
	decoded string
}

// standIns are escapes yaml.v3 decodes to a control character, which
// checkEncoding refuses in the file itself, so the decoded character can
// only come from an escape.
var standIns = []slashStandIn{{'a', "\a"}, {'e', "\x1b"}, {'b', "\b"}, {'f', "\f"}, {'v', "\v"}}

// hideSlashEscapes replaces the "/" of every "\/" escape (an odd run of
// backslashes before the slash) with a stand-in's letter. It fails when the
// file has no such escape, or already uses every stand-in (as "\a", or as a
// \x, \u or \U escape of its character).
func hideSlashEscapes(data []byte) ([]byte, slashStandIn, bool) {
	if !bytes.Contains(data, []byte(`\/`)) {
		return nil, slashStandIn{}, false
	}
	lower := bytes.ToLower(data)
	for _, s := range standIns {
		c := s.decoded[0]
		if bytes.Contains(data, []byte{'\\', s.escape}) ||
			bytes.Contains(lower, fmt.Appendf(nil, `\x%02x`, c)) ||
			bytes.Contains(lower, fmt.Appendf(nil, `\u%04x`, c)) ||
			bytes.Contains(lower, fmt.Appendf(nil, `\u%08x`, c)) {
			continue
		}
		fixed := slices.Clone(data)
		backslashes := 0
		for i, b := range fixed {
			if b == '\\' {
				backslashes++
				continue
			}
			if b == '/' && backslashes%2 == 1 {
				fixed[i] = s.escape
			}
			backslashes = 0
		}
		return fixed, s, true
	}
	return nil, slashStandIn{}, false
}

// mending is what the slow path's retries changed in the text yaml.v3
// read: the "\/" stand-in, and the joined surrogate pairs (joined text to
// the pair's text; joinSurrogatePairs).
type mending struct {
	slash slashStandIn
	joins map[string]string
}

// mend puts the values of a decoded document back as js-yaml reads the
// original text: in a double-quoted scalar the stand-in's character is
// "/"; elsewhere a backslash is no escape, so the stand-in and the joined
// pairs are their original text again.
func (m mending) mend(y *yaml.Node) {
	if y.Kind == yaml.ScalarNode {
		if y.Style&yaml.DoubleQuotedStyle != 0 {
			if m.slash.escape != 0 {
				y.Value = strings.ReplaceAll(y.Value, m.slash.decoded, "/")
			}
		} else if strings.IndexByte(y.Value, '\\') >= 0 {
			if m.slash.escape != 0 {
				y.Value = strings.ReplaceAll(y.Value, `\`+string(m.slash.escape), `\/`)
			}
			for joined, pair := range m.joins {
				y.Value = strings.ReplaceAll(y.Value, joined, pair)
			}
		}
	}
	for _, c := range y.Content { // an alias's target is in the tree already
		m.mend(c)
	}
}
