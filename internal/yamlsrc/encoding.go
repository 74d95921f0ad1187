package yamlsrc

import (
	"encoding/binary"
	"unicode/utf8"
)

// checkEncoding finds what stops a file from being read as Serverless
// reads it (as UTF-8 text, which js-yaml then scans for non-printable
// characters) and reports it at its own line and column: yaml.v3 reports
// these without a position, and would decode UTF-16 itself where
// Serverless reads garbage. It returns false when the file cannot be read.
func (p *parser) checkEncoding(data []byte) bool {
	if enc := utf16or32(data); enc != "" {
		p.errorf(p.point(1, 1), "the file is not UTF-8 (it is %s); Serverless reads configuration files as UTF-8: save it as UTF-8", enc)
		return false
	}
	if plainText(data) {
		p.ascii = true
		return true
	}
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, w := rune(data[i]), 1
		if r >= utf8.RuneSelf {
			r, w = utf8.DecodeRune(data[i:])
		}
		switch {
		case r == utf8.RuneError && w <= 1:
			p.errorf(p.point(line, col), "the file is not valid UTF-8 (byte 0x%02X); Serverless reads configuration files as UTF-8: save it as UTF-8", data[i])
			return false
		case nonPrintable(r):
			p.errorf(p.point(line, col), "the file holds the control character U+%04X, which YAML does not allow; write it as an escape (\"\\x%02X\") in a double-quoted string", r, r)
			return false
		case r == '\n':
			line, col = line+1, 1
		default:
			col++
		}
		i += w
	}
	return true
}

// ones has a one in each byte of a word; high, the high bit of each.
const (
	ones = 0x0101010101010101
	high = 0x8080808080808080
)

// plainText reports ASCII text without control characters other than tab
// and line breaks, which passes the check below: eight bytes at a time,
// sixteen that hold anything but printable ASCII and '\n' (a tab, a
// carriage return, or a byte to refuse) checked byte by byte. Byte by
// byte it was a sixth of a parse's instructions, 9 a byte; now 2.5.
func plainText(data []byte) bool {
	for len(data) >= 16 {
		if unusual(binary.LittleEndian.Uint64(data))|unusual(binary.LittleEndian.Uint64(data[8:])) != 0 &&
			!plainBytes(data[:16]) {
			return false
		}
		data = data[16:]
	}
	return plainBytes(data)
}

// unusual has the high bit of each byte of w set that is not printable
// ASCII or '\n', and maybe of others after a byte that is not ASCII.
func unusual(w uint64) uint64 {
	// Below 0x80, no sum carries into the next byte: b+0x60 has its
	// high bit clear exactly when b < 0x20, b+0x01 set exactly when b is
	// 0x7F, and (b^'\n')+0x7F clear exactly when b is '\n'. A byte from
	// 0x80 is unusual itself.
	nl := ^((w ^ '\n'*ones) + 0x7F*ones)
	return (w | (w + ones) | ^(w + 0x60*ones | nl)) & high
}

// plainBytes is plainText one byte at a time.
func plainBytes(data []byte) bool {
	for _, c := range data {
		if !plainByte[c] {
			return false
		}
	}
	return true
}

// plainByte is the bytes plainText accepts (a table: one load a byte
// instead of four comparisons).
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x7F; c++ {
		t[c] = true
	}
	t['\n'], t['\t'], t['\r'] = true, true, true
	return t
}()

// nonPrintable is js-yaml's PATTERN_NON_PRINTABLE (lone surrogates are
// invalid UTF-8 already).
func nonPrintable(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r' || r == 0x85:
		return false
	case r < 0x20, r >= 0x7F && r <= 0x9F, r == 0xFFFE, r == 0xFFFF:
		return true
	}
	return false
}

// utf16or32 names the encoding of a UTF-16 or UTF-32 file, told by its
// byte order mark or, without one, by the NUL bytes that ASCII text has at
// every other position in UTF-16; "" for anything else.
func utf16or32(data []byte) string {
	switch {
	case hasPrefix(data, 0xFF, 0xFE, 0, 0):
		return "UTF-32 little-endian, with a byte order mark"
	case hasPrefix(data, 0, 0, 0xFE, 0xFF):
		return "UTF-32 big-endian, with a byte order mark"
	case hasPrefix(data, 0xFE, 0xFF):
		return "UTF-16 big-endian, with a byte order mark"
	case hasPrefix(data, 0xFF, 0xFE):
		return "UTF-16 little-endian, with a byte order mark"
	}
	head := data[:min(len(data), 256)]
	var nuls [2]int
	for i, b := range head {
		if b == 0 {
			nuls[i%2]++
		}
	}
	half := len(head) / 2
	switch {
	case half == 0:
	case nuls[0] == 0 && nuls[1]*2 >= half:
		return "UTF-16 little-endian"
	case nuls[1] == 0 && nuls[0]*2 >= half:
		return "UTF-16 big-endian"
	}
	return ""
}

func hasPrefix(data []byte, prefix ...byte) bool {
	if len(data) < len(prefix) {
		return false
	}
	for i, b := range prefix {
		if data[i] != b {
			return false
		}
	}
	return true
}
