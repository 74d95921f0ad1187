package deploy

import (
	"bytes"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var sampleChanges = []Change{
	{Action: "Add", LogicalID: "WorkerLambdaFunction", Type: "AWS::Lambda::Function"},
	{Action: "Modify", LogicalID: "WorkerEventSourceMappingKinesisOrders", PhysicalID: "uuid", Type: mappingType,
		Replacement: "True", Scope: []string{"Properties"}, Details: "Properties.StartingPosition (recreate)"},
	{Action: "Remove", LogicalID: "Old|Pipe", Type: "AWS::SQS::Queue", Details: "a <b>\nc"},
}

func TestWriteChangesTable(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteChangesTable(&b, sampleChanges); err != nil {
		t.Fatal(err)
	}
	want := `ACTION  LOGICAL ID                             TYPE                             REPLACEMENT  SCOPE       DETAILS
Add     WorkerLambdaFunction                   AWS::Lambda::Function            -            -           -
Modify  WorkerEventSourceMappingKinesisOrders  AWS::Lambda::EventSourceMapping  True         Properties  Properties.StartingPosition (recreate)
Remove  Old|Pipe                               AWS::SQS::Queue                  -            -           a <b> c
`
	if d := cmp.Diff(want, b.String()); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	b.Reset()
	_ = WriteChangesTable(&b, nil)
	if b.String() != "No changes.\n" {
		t.Errorf("empty table = %q", b.String())
	}
}

func TestChangesMarkdown(t *testing.T) {
	t.Parallel()
	want := "| Action | Logical ID | Type | Replacement | Scope | Details |\n" +
		"|---|---|---|---|---|---|\n" +
		"| Add | `WorkerLambdaFunction` | `AWS::Lambda::Function` | - | - | - |\n" +
		"| Modify | `WorkerEventSourceMappingKinesisOrders` | `AWS::Lambda::EventSourceMapping` | **True** | Properties | Properties.StartingPosition (recreate) |\n" +
		"| Remove | `Old\\|Pipe` | `AWS::SQS::Queue` | - | - | a &lt;b&gt;<br>c |\n"
	if d := cmp.Diff(want, ChangesMarkdown(sampleChanges)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if got := ChangesMarkdown(nil); got != "_No changes._\n" {
		t.Errorf("empty = %q", got)
	}
}

func TestFormatEvent(t *testing.T) {
	t.Parallel()
	ev := StackEvent{Status: "CREATE_FAILED", ResourceType: mappingType, LogicalID: "MyMapping", Reason: "line one\n  line two"}
	want := "  +12s  CREATE_FAILED         AWS::Lambda::EventSourceMapping       MyMapping  line one line two"
	if got := FormatEvent(ev, 12*time.Second+400*time.Millisecond); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	ev.Reason = ""
	if got := FormatEvent(ev, 0); got != "   +0s  CREATE_FAILED         AWS::Lambda::EventSourceMapping       MyMapping" {
		t.Errorf("no trailing space wanted: %q", got)
	}
}

func TestFormatElapsed(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		-time.Second: "0s", 0: "0s", 59 * time.Second: "59s", 64 * time.Second: "1m04s",
		time.Hour + 2*time.Minute + 3*time.Second: "1h02m03s",
	} {
		if got := formatElapsed(d); got != want {
			t.Errorf("formatElapsed(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestNewChangeSetNamer(t *testing.T) {
	t.Parallel()
	now := func() time.Time { return time.Date(2026, 11, 28, 4, 5, 6, 0, time.FixedZone("X", 3600)) }
	gen := NewChangeSetNamer(now)
	a, b := gen(), gen()
	if !regexp.MustCompile(`^stream-events-20261128T030506Z-[0-9a-f]{8}$`).MatchString(a) || !validName(a) {
		t.Errorf("name %q", a)
	}
	if a == b {
		t.Errorf("two names in the same second collide: %q", a)
	}
}

func TestDecide(t *testing.T) {
	t.Parallel()
	for status, want := range map[string]stackAction{
		"": actCreate, "REVIEW_IN_PROGRESS": actCreate, "DELETE_COMPLETE": actCreate,
		"CREATE_COMPLETE": actUpdate, "UPDATE_ROLLBACK_COMPLETE": actUpdate, "CREATE_FAILED": actUpdate,
		"ROLLBACK_COMPLETE": actRecreate, "UPDATE_IN_PROGRESS": actWait, "DELETE_IN_PROGRESS": actWait,
		"UPDATE_COMPLETE_CLEANUP_IN_PROGRESS": actWait, "UPDATE_ROLLBACK_FAILED": actFail, "DELETE_FAILED": actFail,
	} {
		if got := decide(status); got != want {
			t.Errorf("decide(%q) = %d, want %d", status, got, want)
		}
	}
}
