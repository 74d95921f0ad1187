// Package suggest finds the name a misspelt one most likely stands for, for
// "did you mean" hints: in lint messages (keys, operators, event names) and
// in the Action's warning about unknown INPUT_* variables.
package suggest

import "strings"

// maxLen bounds the strings Distance compares: a hint for a 64-byte name is
// rarely useful and the table is quadratic.
const maxLen = 64

// Closest returns the candidate equal to s ignoring case, else the first
// candidate at the fewest edits from s (ignoring case) when that is at most
// maxEdits, else "".
func Closest(s string, candidates []string, maxEdits int) string {
	best, bestD := "", maxEdits+1
	for _, c := range candidates {
		if strings.EqualFold(s, c) {
			return c
		}
		if d := Distance(strings.ToLower(s), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// Distance is the Levenshtein distance between a and b in bytes (the names
// compared are ASCII); longer than 64 bytes counts as far apart.
func Distance(a, b string) int {
	if len(a) > maxLen || len(b) > maxLen {
		return maxLen + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
