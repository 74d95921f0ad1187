package deploy

import (
	"errors"
	"testing"
)

func TestCheckReplacements(t *testing.T) {
	t.Parallel()
	esm := func(repl string, targets ...Target) Change {
		return Change{Action: "Modify", LogicalID: "M", Type: mappingType, Replacement: repl, Targets: targets}
	}
	prop := func(name, rec string) Target { return Target{"Properties", name, rec} }
	tests := map[string]struct {
		change Change
		want   string // rejected property, or "" for allowed
	}{
		"StartingPosition on the same source is rejected":       {esm("True", prop("StartingPosition", "Always")), "StartingPosition"},
		"StartingPositionTimestamp is rejected":                 {esm("True", prop("BatchSize", "Never"), prop("StartingPositionTimestamp", "Always")), "StartingPositionTimestamp"},
		"a conditional replacement is rejected":                 {esm("Conditional", prop("StartingPosition", "Conditionally")), "StartingPosition"},
		"a new source does not conflict":                        {esm("True", prop("EventSourceArn", "Always"), prop("StartingPosition", "Always")), ""},
		"a new function does not conflict":                      {esm("True", prop("FunctionName", "Never"), prop("StartingPosition", "Always")), ""},
		"an in-place update is fine":                            {esm("False", prop("BatchSize", "Never")), ""},
		"a replacement without details cannot be judged":        {esm("True"), ""},
		"other resource types are not checked":                  {Change{Action: "Modify", Type: "AWS::Kinesis::StreamConsumer", Replacement: "True", Targets: []Target{prop("ConsumerName", "Always")}}, ""},
		"adding a mapping is not a replacement":                 {Change{Action: "Add", Type: mappingType}, ""},
		"a Tags change that forces nothing is not the property": {esm("True", Target{"Tags", "", "Never"}, prop("StartingPosition", "Always")), "StartingPosition"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := CheckReplacements([]Change{{Action: "Add", Type: "AWS::SQS::Queue"}, tt.change})
			var rr *RejectedReplacementError
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("err = %v, want nil", err)
			case tt.want != "" && (!errors.As(err, &rr) || rr.Property != tt.want || rr.LogicalID != "M"):
				t.Errorf("err = %v, want rejection of %s", err, tt.want)
			}
		})
	}
}

func TestCheckReplacements_ReportsEveryMapping(t *testing.T) {
	t.Parallel()
	c := Change{Action: "Modify", Type: mappingType, Replacement: "True", Targets: []Target{{"Properties", "StartingPosition", "Always"}}}
	a, b := c, c
	a.LogicalID, b.LogicalID = "A", "B"
	err := CheckReplacements([]Change{a, b})
	want := "mapping A: changing StartingPosition forces replacement, which Lambda rejects while the old mapping exists; remove the event, deploy, then re-add it\n" +
		"mapping B: changing StartingPosition forces replacement, which Lambda rejects while the old mapping exists; remove the event, deploy, then re-add it"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}
