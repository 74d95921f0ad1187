package action

import (
	"fmt"
	"sort"
	"strings"

	"github.com/stream-events/stream-events/internal/suggest"
)

// inputVar is the variable the runner sets for an input: upper case,
// spaces to underscores, hyphens kept (INPUT_FAIL-ON).
func inputVar(name string) string {
	return "INPUT_" + strings.ToUpper(strings.ReplaceAll(name, " ", "_"))
}

// unknownInputs is one warning naming every INPUT_* variable of environ
// that is no input of the Action (actionDefaults, which a test holds equal
// to action.yml's inputs), with the input it is probably meant to be; ""
// when there is none. The runner itself only warns about an undeclared
// with: key for `uses: owner/repo`, and a docker:// step or a local run
// reads no action.yml: without this, INPUT_FAIL_ON (export cannot set a
// name with a hyphen) or a typo would be silently ignored.
func unknownInputs(environ []string) string {
	known := make(map[string]bool, len(actionDefaults))
	for name := range actionDefaults {
		known[inputVar(name)] = true
	}
	var unknown []string
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(k, "INPUT_") || known[k] {
			continue
		}
		if guess := closestInput(k, known); guess != "" {
			k += " (did you mean " + guess + "?)"
		}
		unknown = append(unknown, k)
	}
	if len(unknown) == 0 {
		return ""
	}
	sort.Strings(unknown)
	return fmt.Sprintf("ignoring %s, which the Action does not read: its inputs are listed in action.yml, and their variables keep the hyphens (INPUT_FAIL-ON)",
		strings.Join(unknown, ", "))
}

// closestInput is the known variable k most likely stands for: the same
// with hyphens for underscores, else the nearest within two edits (the
// first in sorted order on a tie), else "".
func closestInput(k string, known map[string]bool) string {
	name := strings.TrimPrefix(k, "INPUT_")
	if h := "INPUT_" + strings.ReplaceAll(strings.ToUpper(name), "_", "-"); known[h] {
		return h
	}
	names := make([]string, 0, len(known))
	for v := range known {
		names = append(names, v)
	}
	sort.Strings(names) // a tie keeps the first in sorted order
	return suggest.Closest(k, names, 2)
}
