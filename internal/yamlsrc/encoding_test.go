package yamlsrc

import "testing"

// TestPlainTextIsBytewise: the word-at-a-time check says what the byte
// table says, for every byte value at every place in a word and in the
// bytes past the last whole word, among text, line breaks and tabs.
func TestPlainTextIsBytewise(t *testing.T) {
	for _, base := range []string{"key: value\nk2: v\n\n-x-", "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n", "a:\tb\r\nc: d\r\n e: f\r\n"} {
		for i := range len(base) {
			for c := range 256 {
				data := []byte(base)
				data[i] = byte(c)
				if got, want := plainText(data), plainBytes(data); got != want {
					t.Fatalf("%q: plainText %v, byte by byte %v", data, got, want)
				}
			}
		}
	}
}
