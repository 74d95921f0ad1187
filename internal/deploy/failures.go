package deploy

import "fmt"

// reportedFailures bounds the failing resources reported of a deployment:
// the first ones are the root causes.
const reportedFailures = 5

// FirstFailures are the events of the first failing resources of res.
func FirstFailures(res *Result) []StackEvent {
	if res == nil {
		return nil
	}
	return res.FailedEvents[:min(len(res.FailedEvents), reportedFailures)]
}

// FailureLines describes the first failing resources of res.
func FailureLines(res *Result) []string {
	var out []string
	for _, ev := range FirstFailures(res) {
		out = append(out, fmt.Sprintf("%s %s %s: %s", ev.LogicalID, ev.ResourceType, ev.Status, ev.Reason))
	}
	return out
}
